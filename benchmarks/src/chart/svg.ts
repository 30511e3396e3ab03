/** Attribute values of an SVG element; undefined leaves the attribute out. */
export type Attributes = Record<string, string | number | undefined>;

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Rounds a coordinate to 0.1 px, which keeps the file small and no output device can show. */
export function px(value: number): number {
  return Math.round(value * 10) / 10;
}

function formatAttributes(attributes: Attributes): string {
  return Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXml(String(typeof value === 'number' ? px(value) : value))}"`)
    .join('');
}

/**
 * Returns an element as SVG markup. `children` is markup, already escaped;
 * numbers in attributes are rounded with px().
 */
export function element(name: string, attributes: Attributes, children: string | readonly string[] = ''): string {
  const content = typeof children === 'string' ? children : children.join('');
  return content === '' ? `<${name}${formatAttributes(attributes)}/>` : `<${name}${formatAttributes(attributes)}>${content}</${name}>`;
}

/** Returns a text element; the text is escaped here. */
export function textElement(content: string, attributes: Attributes): string {
  return element('text', attributes, escapeXml(content));
}

/**
 * Estimates the width of a text in px. Node has no font measurement, so
 * this assumes an average glyph of 0.6 em, about that of DejaVu Sans, the
 * widest of the fonts the chart names. The layout keeps a margin for the
 * error.
 */
export function textWidth(content: string, fontSize: number): number {
  return content.length * fontSize * 0.6;
}
