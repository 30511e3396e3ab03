// Writes src/generated/kernel-sources.ts, which contains the JavaScript source
// text of every gpu.js kernel function and helper function in src/ as string
// literals. gpu.js compiles a kernel from its source text. A minifier in an
// application's bundle rewrites function text but leaves string literals
// alone, so the kernels reach gpu.js as written here, whatever the
// application's bundler does.
//
// Kernel functions are the top-level function declarations in src/ whose
// first parameter is `this`. Helper functions are the functions declared in
// src/kernels/kernel-globals.d.ts, each implemented by a top-level function
// of the same name in src/. Each one is transpiled on its own with the
// TypeScript compiler, which only strips the types.
//
// Usage: node scripts/build-kernel-sources.mjs [--check]
// With --check it writes nothing, and exits with status 1 when the file is
// missing or differs from what it would write.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(packageDir, 'src');
const generatedDir = join(sourceDir, 'generated');
const outputFile = join(generatedDir, 'kernel-sources.ts');
const globalsFile = join(sourceDir, 'kernels', 'kernel-globals.d.ts');

/** Lists the .ts files under `dir`, sorted, without declaration files and generated code. */
async function listSourceFiles(dir) {
  const files = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path !== generatedDir) files.push(...(await listSourceFiles(path)));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      files.push(path);
    }
  }
  return files.sort();
}

async function parse(path) {
  return ts.createSourceFile(path, await readFile(path, 'utf8'), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

/** Returns the names of the functions that kernel-globals.d.ts declares. */
async function readHelperNames() {
  const declarations = await parse(globalsFile);
  return declarations.statements.filter(ts.isFunctionDeclaration).map((statement) => statement.name.text);
}

/**
 * Returns a function declaration as plain JavaScript that starts with
 * `function`, as gpu.js requires. It drops the `export` modifier, the types,
 * the `this` parameter and comments, and keeps the statements as written.
 */
function toJavaScript(declaration, sourceFile) {
  const bare = ts.factory.updateFunctionDeclaration(
    declaration,
    undefined,
    declaration.asteriskToken,
    declaration.name,
    declaration.typeParameters,
    declaration.parameters,
    declaration.type,
    declaration.body,
  );
  const typed = ts.createPrinter({ removeComments: true }).printNode(ts.EmitHint.Unspecified, bare, sourceFile);
  const { outputText } = ts.transpileModule(typed, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, removeComments: true },
    reportDiagnostics: false,
  });
  return outputText.trim();
}

/** Returns gpu.js's type name for a helper's parameter or return type. Helpers take and return numbers only. */
function gpuType(typeNode, subject) {
  if (typeNode?.kind !== ts.SyntaxKind.NumberKeyword) {
    throw new Error(`${subject} must be declared as number, found ${typeNode ? typeNode.getText() : 'no type'}`);
  }
  return 'Number';
}

function describeHelper(declaration, sourceFile) {
  const name = declaration.name.text;
  const argumentTypes = {};
  for (const parameter of declaration.parameters) {
    argumentTypes[parameter.name.getText()] = gpuType(parameter.type, `parameter ${parameter.name.getText()} of helper ${name}`);
  }
  return { name, source: toJavaScript(declaration, sourceFile), argumentTypes, returnType: gpuType(declaration.type, `the return type of helper ${name}`) };
}

/** Collects the kernel and helper functions of src/, in file order. */
async function collectFunctions() {
  const helperNames = new Set(await readHelperNames());
  const kernels = new Map();
  const helpers = new Map();

  for (const path of await listSourceFiles(sourceDir)) {
    const sourceFile = await parse(path);
    for (const statement of sourceFile.statements) {
      if (!ts.isFunctionDeclaration(statement) || statement.body === undefined || statement.name === undefined) continue;

      const name = statement.name.text;
      const where = relative(packageDir, path);
      const isKernel = statement.parameters[0]?.name.getText() === 'this';
      if (!isKernel && !helperNames.has(name)) continue;

      if (kernels.has(name) || helpers.has(name)) {
        throw new Error(`${where}: a second kernel or helper function named ${name}, but gpu.js needs unique function names: rename one`);
      }
      if (isKernel) {
        kernels.set(name, toJavaScript(statement, sourceFile));
      } else {
        helpers.set(name, describeHelper(statement, sourceFile));
      }
    }
  }

  const missing = [...helperNames].filter((name) => !helpers.has(name));
  if (missing.length > 0) {
    throw new Error(`${relative(packageDir, globalsFile)} declares ${missing.join(', ')}, but no top-level function in src/ implements it`);
  }
  return { kernels, helpers };
}

/** Renders the generated module. */
function render({ kernels, helpers }) {
  const lines = [
    '// Generated by scripts/build-kernel-sources.mjs from the kernel functions in src/ during `pnpm build`. Do not edit.',
    '',
    '/** JavaScript source of each kernel function of src/, by function name. gpu.js compiles it to GLSL. */',
    'export const KERNEL_SOURCES = {',
    ...[...kernels].map(([name, source]) => `  ${name}: ${JSON.stringify(source)},`),
    '} as const;',
    '',
    '/** The functions of src/kernels/kernel-globals.d.ts, which gpu.js adds to every kernel, with their gpu.js types. */',
    'export const HELPER_FUNCTIONS = [',
    ...[...helpers.values()].map(({ name, source, argumentTypes, returnType }) =>
      `  { name: ${JSON.stringify(name)}, source: ${JSON.stringify(source)}, argumentTypes: ${JSON.stringify(argumentTypes)}, returnType: ${JSON.stringify(returnType)} },`,
    ),
    '] as const;',
    '',
  ];
  return lines.join('\n');
}

const text = render(await collectFunctions());
const where = relative(packageDir, outputFile);

if (process.argv.includes('--check')) {
  const current = await readFile(outputFile, 'utf8').catch(() => null);
  if (current !== text) {
    console.error(`${where} is ${current === null ? 'missing' : 'out of date'}: run pnpm --filter @mobilemamba/backend-webgl build`);
    process.exit(1);
  }
  console.log(`${where} is up to date`);
} else {
  await mkdir(generatedDir, { recursive: true });
  await writeFile(outputFile, text);
  console.log(`wrote ${where}`);
}
