/** The decision for one case: run it, or skip it with the reason in its title. */
export type CasePlan = { readonly mode: 'run'; readonly title: string } | { readonly mode: 'skip'; readonly title: string };

/** Why no case of the suite can run: the backend could not be created or initialised. */
export interface UnavailableBackend {
  readonly name: string;
  readonly reason: string;
}

/**
 * Decides whether a case runs. When the backend is unavailable, every case
 * is skipped with that reason in its title. Otherwise a case listed in
 * `exclude` is skipped with the reason its entry gives, and the rest run.
 */
export function planCase(id: string, unavailable: UnavailableBackend | null, exclude: Readonly<Record<string, string>>): CasePlan {
  if (unavailable) {
    return { mode: 'skip', title: `${id} [skipped: backend ${unavailable.name} is unavailable: ${unavailable.reason}]` };
  }
  if (Object.hasOwn(exclude, id)) return { mode: 'skip', title: `${id} [excluded: ${exclude[id]}]` };
  return { mode: 'run', title: id };
}

/**
 * Returns the `exclude` keys that name no known case. Keys under a family
 * whose fixture file is missing are not reported, because its case ids are
 * unknown until the file is found.
 */
export function unknownExclusions(
  exclude: Readonly<Record<string, string>>,
  knownIds: ReadonlySet<string>,
  missingFamilies: readonly string[],
): string[] {
  return Object.keys(exclude).filter((id) => !knownIds.has(id) && !missingFamilies.some((family) => id.startsWith(`${family}/`)));
}
