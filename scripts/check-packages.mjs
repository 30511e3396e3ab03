#!/usr/bin/env node
// Checks every published package under packages/ with publint and
// @arethetypeswrong/cli (`attw --pack`), so that ESM, CJS and the type
// declarations resolve as each package's `exports` field declares. Both tools
// pack the package, so run `pnpm build` first. Exits non-zero when any check
// fails.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'node_modules', '.bin');

// Extra attw flags per package name, each with the reason it is by design.
// No package needs one at present.
const attwFlags = {};

function listPackages() {
  const packagesDir = join(root, 'packages');
  return readdirSync(packagesDir)
    .map((name) => join(packagesDir, name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => !manifest.private);
}

function runTool(label, command, args, cwd) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label} (${seconds} s)`);
  if (!ok) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    console.log(output || String(result.error ?? `exit status ${result.status}`));
  }
  return ok;
}

const failures = [];
for (const { dir, manifest } of listPackages()) {
  const name = manifest.name;
  if (!existsSync(join(dir, 'dist'))) {
    console.log(`FAIL ${name}: ${relative(root, join(dir, 'dist'))} is missing. Run \`pnpm build\` first.`);
    failures.push(`${name} (not built)`);
    continue;
  }
  // --strict makes publint's warnings fail the check too, not only its errors.
  if (!runTool(`publint ${name}`, join(bin, 'publint'), ['--strict'], dir)) {
    failures.push(`publint ${name}`);
  }
  const flags = attwFlags[name] ?? [];
  if (!runTool(`attw ${name}`, join(bin, 'attw'), ['--pack', '.', '--format', 'ascii', ...flags], dir)) {
    failures.push(`attw ${name}`);
  }
}

if (failures.length > 0) {
  console.error(`\ncheck-packages failed: ${failures.join(', ')}`);
  process.exit(1);
}
console.log('\ncheck-packages: every package passes publint and attw');
