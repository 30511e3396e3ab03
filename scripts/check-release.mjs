#!/usr/bin/env node
// Runs the release flow on a copy of the working tree, so that nothing here
// changes: `pnpm run version` consumes the pending changesets, then the
// release dry run packs every published package as `pnpm publish` would.
// It checks four things. The versions move together, because the packages
// form one fixed group. Every published package gets a CHANGELOG entry with
// the changesets' text. Private packages keep their version. The tarballs
// have no `workspace:` ranges and ship CHANGELOG.md and LICENSE.
//
// With no pending changesets (right after a release) only the tarballs are
// checked. Run `pnpm build` first, because the copy reuses the dist/ folders
// instead of building again. Nothing is published: `--dry-run` stops pnpm
// before the upload.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bumpOrder = ['patch', 'minor', 'major'];

class ReleaseCheckError extends Error {}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) {
    const reason = result.error ? result.error.message : `exit status ${result.status}`;
    throw new ReleaseCheckError(`\`${command} ${args.join(' ')}\` failed in ${cwd} (${reason}):\n${output.trim()}`);
  }
  return output;
}

function step(label, action) {
  const started = Date.now();
  const value = action();
  console.log(`ok   ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return value;
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Lists the workspace packages under packages/ with their manifests. */
function listPackages(base) {
  return readdirSync(join(base, 'packages'))
    .map((folder) => ({ folder, dir: join(base, 'packages', folder) }))
    .filter(({ dir }) => existsSync(join(dir, 'package.json')))
    .map((entry) => ({ ...entry, manifest: readJson(join(entry.dir, 'package.json')) }));
}

/** Copies the files git tracks or would track, plus the built dist/ folders, so the copy matches this checkout. */
function copyWorkingTree(destination) {
  const files = run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], root).split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(root, file))) continue; // deleted but not yet staged
    mkdirSync(dirname(join(destination, file)), { recursive: true });
    cpSync(join(root, file), join(destination, file));
  }

  for (const { folder, dir, manifest } of listPackages(root)) {
    if (manifest.private) continue;
    if (!existsSync(join(dir, 'dist'))) {
      throw new ReleaseCheckError(`packages/${folder}/dist is missing. Run \`pnpm build\` first.`);
    }
    cpSync(join(dir, 'dist'), join(destination, 'packages', folder, 'dist'), { recursive: true });
  }
}

/** Reads the pending changesets: their bump per package and their summaries. */
function readChangesets(base) {
  const folder = join(base, '.changeset');
  return readdirSync(folder)
    .filter((file) => file.endsWith('.md') && file !== 'README.md')
    .map((file) => {
      // changesets itself accepts Windows line endings, so they are normalised before parsing.
      const text = readFileSync(join(folder, file), 'utf8').replace(/\r\n/g, '\n');
      const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
      if (!match) throw new ReleaseCheckError(`.changeset/${file} has no front matter`);
      const bumps = {};
      for (const line of match[1].split('\n').filter(Boolean)) {
        const entry = /^"?([^"]+)"?:\s*(patch|minor|major)$/.exec(line.trim());
        if (!entry) throw new ReleaseCheckError(`.changeset/${file}: cannot read the line '${line}'`);
        bumps[entry[1]] = entry[2];
      }
      return { file, bumps, summary: match[2].trim() };
    });
}

function bumpVersion(version, bump) {
  const [major, minor, patch] = version.split('-')[0].split('.').map(Number);
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/**
 * Predicts the version after `changeset version`. The config puts every
 * @mobilemamba package in one fixed group, so all of them take the largest
 * bump of any changeset from the highest current version.
 */
function expectedVersion(packages, changesets) {
  const bumps = changesets.flatMap((changeset) => Object.values(changeset.bumps));
  const largest = bumps.reduce((best, bump) => (bumpOrder.indexOf(bump) > bumpOrder.indexOf(best) ? bump : best), 'patch');
  const current = packages.map(({ manifest }) => manifest.version).sort((a, b) => (a < b ? 1 : -1))[0];
  return bumpVersion(current, largest);
}

function checkVersioned(copy, before, changesets, version, privateOnly) {
  const after = listPackages(copy);
  const leftOver = readChangesets(copy).filter(({ file }) => !privateOnly.includes(file));
  if (leftOver.length > 0) {
    throw new ReleaseCheckError(`\`pnpm run version\` left ${leftOver.map(({ file }) => file).join(', ')} in .changeset/`);
  }

  for (const { folder, dir, manifest } of after) {
    const previous = before.find((entry) => entry.folder === folder).manifest.version;
    if (manifest.private) {
      if (manifest.version !== previous) throw new ReleaseCheckError(`private package ${manifest.name} moved from ${previous} to ${manifest.version}`);
      continue;
    }
    if (manifest.version !== version) {
      throw new ReleaseCheckError(`${manifest.name} is at ${manifest.version} after versioning, expected ${version}`);
    }

    const changelogPath = join(dir, 'CHANGELOG.md');
    if (!existsSync(changelogPath)) throw new ReleaseCheckError(`packages/${folder}/CHANGELOG.md was not written`);
    const changelog = readFileSync(changelogPath, 'utf8');
    if (!changelog.includes(`## ${version}`)) throw new ReleaseCheckError(`packages/${folder}/CHANGELOG.md has no section for ${version}`);
    for (const { file, bumps, summary } of changesets) {
      const firstLine = summary.split('\n')[0];
      if (manifest.name in bumps && !changelog.includes(firstLine)) {
        throw new ReleaseCheckError(`packages/${folder}/CHANGELOG.md lacks the summary of .changeset/${file}`);
      }
    }
  }

  // Private workspace packages outside packages/ must not move either.
  for (const folder of ['benchmarks', 'docs', ...readdirSync(join(copy, 'examples')).map((name) => `examples/${name}`)]) {
    const path = join(folder, 'package.json');
    if (!existsSync(join(copy, path))) continue;
    const [old, now] = [readJson(join(root, path)).version, readJson(join(copy, path)).version];
    if (old !== now) throw new ReleaseCheckError(`${path} moved from ${old} to ${now}, but private packages are not versioned`);
  }
}

/** Packs each published package and checks what a registry user would download. */
function checkTarballs(copy, destination, requireChangelog) {
  for (const { folder, dir, manifest } of listPackages(copy)) {
    if (manifest.private) continue;
    const before = new Set(readdirSync(destination));
    run('pnpm', ['pack', '--pack-destination', destination], dir);
    const tarball = readdirSync(destination).find((file) => file.endsWith('.tgz') && !before.has(file));
    if (!tarball) throw new ReleaseCheckError(`pnpm pack in packages/${folder} wrote no tarball`);

    const contents = run('tar', ['-tzf', join(destination, tarball)], destination).split('\n');
    const required = ['package/LICENSE', 'package/README.md'];
    if (requireChangelog || existsSync(join(dir, 'CHANGELOG.md'))) required.push('package/CHANGELOG.md');
    for (const path of required) {
      if (!contents.includes(path)) throw new ReleaseCheckError(`${tarball} lacks ${path.slice('package/'.length)}`);
    }
    const packed = run('tar', ['-xzOf', join(destination, tarball), 'package/package.json'], destination);
    if (packed.includes('"workspace:')) throw new ReleaseCheckError(`${tarball} has a "workspace:" range left in its package.json`);
  }
}

/** Runs the release dry run and checks that it would publish each package at the new version. */
function checkPublishDryRun(copy, version) {
  const output = run('pnpm', ['publish', '--recursive', '--dry-run', '--no-git-checks', '--access', 'public'], copy);
  for (const { manifest } of listPackages(copy)) {
    if (manifest.private) continue;
    if (!output.includes(`+ ${manifest.name}@${version}`)) {
      throw new ReleaseCheckError(`the release dry run did not list ${manifest.name}@${version}. Output:\n${output.trim()}`);
    }
  }
}

function main() {
  const started = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), 'mobilemamba-release-'));
  const copy = join(workDir, 'repository');
  const tarballs = join(workDir, 'tarballs');
  mkdirSync(copy);
  mkdirSync(tarballs);

  try {
    step('copy the working tree and the dist/ folders', () => copyWorkingTree(copy));
    const before = listPackages(copy);
    const published = new Set(before.filter(({ manifest }) => !manifest.private).map(({ manifest }) => manifest.name));
    const allChangesets = readChangesets(copy);
    // Private packages are not versioned, so changesets stays silent about a changeset that names only them and keeps it.
    const privateOnly = allChangesets.filter(({ bumps }) => !Object.keys(bumps).some((name) => published.has(name))).map(({ file }) => file);
    if (privateOnly.length > 0) console.log(`note ${privateOnly.join(', ')} name only private packages, which are never versioned or published`);
    const changesets = allChangesets.filter(({ file }) => !privateOnly.includes(file));

    // --offline: the pnpm store already contains every package of the lockfile, and no install script needs to run.
    step('install in the copy (frozen lockfile, offline)', () => run('pnpm', ['install', '--frozen-lockfile', '--offline', '--ignore-scripts'], copy));
    if (changesets.length === 0) {
      console.log('skip no pending changesets in .changeset/, so there is nothing to version or publish');
      step('tarballs: LICENSE, no workspace: ranges', () => checkTarballs(copy, tarballs, false));
    } else {
      const version = expectedVersion(before.filter(({ manifest }) => !manifest.private), changesets);
      step(`pnpm run version (${changesets.length} changeset(s), expected version ${version})`, () => run('pnpm', ['run', 'version'], copy));
      step('versions, CHANGELOGs and consumed changesets', () => checkVersioned(copy, before, changesets, version, privateOnly));
      step('tarballs: CHANGELOG.md, LICENSE, no workspace: ranges', () => checkTarballs(copy, tarballs, true));
      step('release dry run (pnpm publish --recursive --dry-run)', () => checkPublishDryRun(copy, version));
    }
  } catch (error) {
    console.error(`FAIL ${error instanceof ReleaseCheckError ? error.message : (error?.stack ?? error)}`);
    console.error(`The copy is kept in ${workDir} for inspection.`);
    process.exitCode = 1;
    return;
  }

  rmSync(workDir, { recursive: true, force: true });
  console.log(`release check passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main();
