#!/usr/bin/env node
// Installs the packed packages into a fresh project outside the workspace, as
// a user would get them from the registry. There it classifies one MNIST digit
// with @mobilemamba/core, backend-cpu and models from an ESM file and from a
// CJS file, and type-checks a TypeScript file with `tsc --noEmit` (not run).
// Run `pnpm build` first. Exits non-zero on the first failure and keeps the
// temporary project for inspection in that case.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// The packages the consumer files import. `pnpm pack` turns their
// `workspace:^` dependencies into version ranges, so their tarballs are
// installed in one `npm install` to resolve each other.
const consumerPackages = ['core', 'backend-cpu', 'models'];
const image = 'examples/mnist/0017_7.png';
const weights = 'examples/mnist/mnist_tiny.pth';
// The digit in the image's file name.
const expectedLabel = 7;
// mnist_tiny.pth does not record its input size.
const imgSize = 64;
const typescriptVersion = '5.9';
const typesNodeVersion = '20';

class SmokeTestError extends Error {}

function run(command, args, cwd, env = {}) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    const reason = result.error ? result.error.message : `exit status ${result.status}`;
    throw new SmokeTestError(`\`${command} ${args.join(' ')}\` failed in ${cwd} (${reason}):\n${output}`);
  }
  return result.stdout;
}

function timed(label, action) {
  const started = Date.now();
  const value = action();
  console.log(`ok   ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return value;
}

function listPublishedPackages() {
  const packagesDir = join(root, 'packages');
  return readdirSync(packagesDir)
    .map((name) => ({ name, dir: join(packagesDir, name) }))
    .filter(({ dir }) => existsSync(join(dir, 'package.json')))
    .filter(({ dir }) => !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private);
}

/** Packs every published package and returns the tarball paths by folder name. */
function packAll(destination) {
  const tarballs = {};
  for (const { name, dir } of listPublishedPackages()) {
    if (!existsSync(join(dir, 'dist'))) {
      throw new SmokeTestError(`packages/${name}/dist is missing. Run \`pnpm build\` first.`);
    }
    const before = new Set(readdirSync(destination));
    run('pnpm', ['pack', '--pack-destination', destination], dir);
    const created = readdirSync(destination).filter((file) => file.endsWith('.tgz') && !before.has(file));
    if (created.length !== 1) {
      throw new SmokeTestError(`pnpm pack in packages/${name} created ${created.length} tarballs, expected 1: ${created.join(', ')}`);
    }
    tarballs[name] = join(destination, created[0]);
  }
  return tarballs;
}

/** Rejects a tarball whose package.json still has a `workspace:` range, which npm cannot install. */
function checkPackedManifest(tarball) {
  const manifest = run('tar', ['-xzOf', tarball, 'package/package.json'], dirname(tarball));
  if (manifest.includes('"workspace:')) {
    throw new SmokeTestError(`${tarball} has a "workspace:" dependency range left in its package.json`);
  }
}

// The same steps in each consumer file: register the CPU backend, load the
// model, classify the image and print the arg max of the logits.
function classifySource({ ts }) {
  const logitsType = ts ? ': Float32Array' : '';
  return `registerCpuBackend();
  const backend = await ready();
  const model = await loadModel(${JSON.stringify(weights)}, { backend, imgSize: ${imgSize} });
  const { input } = await preprocessImageFile(${JSON.stringify(image)}, model.imgSize);
  const logits${logitsType} = await model.predict(input, [1, 3, model.imgSize, model.imgSize]);
  model.dispose();
  await removeBackend(CPU_BACKEND_NAME);
  let label = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[label]) label = i;
  console.log(\`label \${label}\`);`;
}

function writeConsumerProject(projectDir) {
  writeFileSync(
    join(projectDir, 'package.json'),
    JSON.stringify({ name: 'mobilemamba-consumer-smoke-test', version: '0.0.0', private: true }, null, 2),
  );
  mkdirSync(join(projectDir, 'examples', 'mnist'), { recursive: true });
  for (const file of [image, weights]) copyFileSync(join(root, file), join(projectDir, file));

  writeFileSync(
    join(projectDir, 'consumer.mjs'),
    `import { ready, removeBackend } from '@mobilemamba/core';
import { CPU_BACKEND_NAME, registerCpuBackend } from '@mobilemamba/backend-cpu';
import { loadModel, preprocessImageFile } from '@mobilemamba/models';

${classifySource({ ts: false }).replace(/^ {2}/gm, '')}
`,
  );
  writeFileSync(
    join(projectDir, 'consumer.cjs'),
    `const { ready, removeBackend } = require('@mobilemamba/core');
const { CPU_BACKEND_NAME, registerCpuBackend } = require('@mobilemamba/backend-cpu');
const { loadModel, preprocessImageFile } = require('@mobilemamba/models');

async function main() {
  ${classifySource({ ts: false })}
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
`,
  );
  writeFileSync(
    join(projectDir, 'consumer.mts'),
    `import { ready, removeBackend } from '@mobilemamba/core';
import { CPU_BACKEND_NAME, registerCpuBackend } from '@mobilemamba/backend-cpu';
import { loadModel, preprocessImageFile } from '@mobilemamba/models';

${classifySource({ ts: true }).replace(/^ {2}/gm, '')}
`,
  );
  writeFileSync(
    join(projectDir, 'consumer.cts'),
    `import { ready, removeBackend } from '@mobilemamba/core';
import { CPU_BACKEND_NAME, registerCpuBackend } from '@mobilemamba/backend-cpu';
import { loadModel, preprocessImageFile } from '@mobilemamba/models';

export async function main(): Promise<void> {
  ${classifySource({ ts: true })}
}
`,
  );
  // consumer.mts checks the ESM declarations and consumer.cts the CJS ones.
  writeFileSync(
    join(projectDir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          types: ['node'],
        },
        files: ['consumer.mts', 'consumer.cts'],
      },
      null,
      2,
    ),
  );
}

function checkLabel(label, output) {
  const match = /^label (\d+)$/m.exec(output);
  if (!match) throw new SmokeTestError(`${label} printed no label. Output:\n${output}`);
  if (Number(match[1]) !== expectedLabel) {
    throw new SmokeTestError(`${label} classified ${image} as ${match[1]}, expected ${expectedLabel}`);
  }
}

function main() {
  const started = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), 'mobilemamba-smoke-'));
  const tarballDir = join(workDir, 'tarballs');
  const projectDir = join(workDir, 'consumer');
  mkdirSync(tarballDir);
  mkdirSync(projectDir);

  try {
    const tarballs = timed('pnpm pack (every published package)', () => packAll(tarballDir));
    for (const tarball of Object.values(tarballs)) checkPackedManifest(tarball);

    writeConsumerProject(projectDir);
    const installArgs = [
      'install',
      '--no-audit',
      '--no-fund',
      ...consumerPackages.map((name) => tarballs[name]),
      `typescript@${typescriptVersion}`,
      `@types/node@${typesNodeVersion}`,
    ];
    timed(`npm install ${consumerPackages.map((name) => `@mobilemamba/${name}`).join(' ')}`, () =>
      run('npm', installArgs, projectDir),
    );

    timed('ESM import classifies the digit', () => checkLabel('consumer.mjs', run('node', ['consumer.mjs'], projectDir)));
    timed('CJS require classifies the digit', () => checkLabel('consumer.cjs', run('node', ['consumer.cjs'], projectDir)));
    timed('tsc --noEmit (ESM and CJS declarations)', () =>
      run(join(projectDir, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', 'tsconfig.json'], projectDir),
    );
  } catch (error) {
    if (!(error instanceof SmokeTestError)) throw error;
    console.error(`\nconsumer smoke test failed: ${error.message}`);
    console.error(`The temporary project is kept in ${workDir}`);
    process.exit(1);
  }

  rmSync(workDir, { recursive: true, force: true });
  console.log(`\nconsumer smoke test passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main();
