import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { BackendName } from './backends.js';
import { parseProgressEvent, type TaskProgress } from './progress.js';
import type { BackendReport } from './report.js';
import type { AbsentEntry, ResultRow, Section } from './results.js';

/**
 * Backends that run in a child process each, because headless-gl's GLX
 * context (webgl) and Dawn's EGL context (webgpu) cannot both be made
 * current in one process. With Mesa 22.3.6 under Xvfb, webgpu found no
 * adapter after webgl (eglMakeCurrent failed with EGL_BAD_ACCESS). webgl
 * after webgpu ended the process with an X BadAccess error. A child of its
 * own also keeps a driver crash from ending the whole run.
 */
export const ISOLATED_BACKENDS: readonly BackendName[] = ['webgpu', 'webgl'];

const WORKER_BACKEND_ENV = 'MOBILEMAMBA_BENCH_WORKER_BACKEND';
const WORKER_OUTPUT_ENV = 'MOBILEMAMBA_BENCH_WORKER_OUTPUT';

/** Results of one backend, measured by a child process. */
export interface WorkerPart {
  backends: BackendReport[];
  rows: ResultRow[];
  absent: AbsentEntry[];
}

/** Returns the backend and output file when this process is a child started by runBackendInChild, else null. */
export function workerFromEnv(): { backend: BackendName; partFile: string } | null {
  const backend = process.env[WORKER_BACKEND_ENV];
  const partFile = process.env[WORKER_OUTPUT_ENV];
  if (!backend || !partFile) return null;
  if (!ISOLATED_BACKENDS.includes(backend as BackendName)) throw new Error(`${WORKER_BACKEND_ENV}: unknown backend '${backend}'`);
  return { backend: backend as BackendName, partFile };
}

/** Writes a child's results so far; the child rewrites the file after every case, so a crash keeps the finished ones. */
export async function writePart(file: string, part: WorkerPart): Promise<void> {
  await writeFile(file, JSON.stringify(part));
}

/**
 * Returns the command prefix that gives a child an X display: headless-gl,
 * which the webgl backend uses in Node, creates its context through an X
 * server. When DISPLAY is unset and xvfb-run is missing, the child runs
 * without a display and reports webgl as absent with the reason.
 */
function displayPrefix(backend: BackendName, progress: TaskProgress): string[] {
  if (backend !== 'webgl' || process.env.DISPLAY || process.platform !== 'linux') return [];
  const hasXvfbRun = spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0;
  if (!hasXvfbRun) {
    progress.log('DISPLAY is unset and xvfb-run is not installed (Debian packages xvfb and xauth), so the webgl backend has no display');
    return [];
  }
  return ['xvfb-run', '-a'];
}

/**
 * Runs this program again in a child process with the same options, for
 * the ops and models sections of one backend, and returns what it measured.
 * The child's task events go to `progress`, its other stderr lines to
 * `progress.log`. A child that fails adds an absent entry with its exit
 * status and last stderr lines; the cases it finished before are kept.
 */
export async function runBackendInChild(
  backend: BackendName,
  argv: readonly string[],
  section: Section,
  progress: TaskProgress,
): Promise<WorkerPart> {
  const folder = await mkdtemp(join(tmpdir(), `mobilemamba-bench-${backend}-`));
  const partFile = join(folder, 'part.json');
  const prefix = displayPrefix(backend, progress);
  const command = [...prefix, process.execPath, ...process.execArgv, process.argv[1], ...argv];
  progress.log(`${backend}: running in a child process${prefix.length > 0 ? ` under ${prefix.join(' ')}` : ''}`);

  try {
    const env = { ...process.env, [WORKER_BACKEND_ENV]: backend, [WORKER_OUTPUT_ENV]: partFile };
    const { status, lastLines } = await runChild(command, env, progress);
    const part = await readPart(partFile);
    if (status !== null) {
      const output = lastLines.length > 0 ? `; its last output: ${lastLines.join(' / ')}` : '';
      const reason = `the child process that runs ${backend} ${status} after ${part.rows.length} measured cases${output}`;
      part.absent.push({ section, backend, reason });
      progress.log(`${backend}: ${reason}`);
    }
    return part;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Lines of the child's stderr kept for the failure reason. */
const TAIL_LINES = 4;

/** The child's list of loaded backends, which never explains a failure. */
const BACKENDS_LINE = /^backends: /;

/**
 * Runs the command with stdout ignored. Task events on its stderr go to
 * `progress`, and other lines to `progress.log`. Returns the last of those
 * other lines and, unless the child exited with 0, how it ended.
 */
function runChild(command: string[], env: NodeJS.ProcessEnv, progress: TaskProgress): Promise<{ status: string | null; lastLines: string[] }> {
  const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env });
  // Forward Ctrl-C and termination to the child, so that xvfb-run stops its X server.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);

  const lastLines: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    const event = parseProgressEvent(line);
    if (event) {
      if (event.event === 'started') progress.started(event.task);
      else progress.finished(event.task, event.outcome, event.failed);
      return;
    }

    progress.log(line);
    if (line.trim() === '' || BACKENDS_LINE.test(line)) return;
    lastLines.push(line.trim());
    if (lastLines.length > TAIL_LINES) lastLines.shift();
  });

  return new Promise((resolve) => {
    const finish = (status: string | null) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve({ status, lastLines });
    };
    child.once('error', (error) => finish(`failed to start (${command[0]}: ${error.message})`));
    child.once('close', (code, signal) => {
      if (signal) finish(`was ended by ${signal}`);
      else finish(code === 0 ? null : `exited with code ${code}`);
    });
  });
}

async function readPart(file: string): Promise<WorkerPart> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as WorkerPart;
  } catch {
    // The child ended before its first write.
    return { backends: [], rows: [], absent: [] };
  }
}
