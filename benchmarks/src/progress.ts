import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { Task } from './results.js';

/** The fields of a task that progress output names. */
export type TaskInfo = Pick<Task, 'section' | 'backend' | 'label'>;

/** Receives the runner's task events and the program's other messages. */
export interface TaskProgress {
  started(task: TaskInfo): void;
  /** `outcome` is the medians, or the reason when `failed` is true. */
  finished(task: TaskInfo, outcome: string, failed: boolean): void;
  /** Prints a message that is not about one task, such as a backend that did not load. */
  log(line: string): void;
}

/** Prefix of the lines in which a child process reports task events to its parent. */
const EVENT_PREFIX = '@bench-progress ';

/** A task event as a child process writes it on stderr. */
export type ProgressEvent =
  | { event: 'started'; task: TaskInfo }
  | { event: 'finished'; task: TaskInfo; outcome: string; failed: boolean };

/** Reads a task event from a child's stderr line. Returns null for any other line. */
export function parseProgressEvent(line: string): ProgressEvent | null {
  if (!line.startsWith(EVENT_PREFIX)) return null;
  try {
    return JSON.parse(line.slice(EVENT_PREFIX.length)) as ProgressEvent;
  } catch {
    return null;
  }
}

/**
 * Progress of a child process that measures one isolated backend: task
 * events go to the parent as JSON lines on stderr, which the parent counts
 * in its own display. Other messages stay plain lines.
 */
export class ChildProgress implements TaskProgress {
  constructor(private readonly stream: NodeJS.WritableStream = process.stderr) {}

  started(task: TaskInfo): void {
    this.emit({ event: 'started', task: pickInfo(task) });
  }

  finished(task: TaskInfo, outcome: string, failed: boolean): void {
    this.emit({ event: 'finished', task: pickInfo(task), outcome, failed });
  }

  log(line: string): void {
    this.stream.write(`${line}\n`);
  }

  private emit(event: ProgressEvent): void {
    this.stream.write(`${EVENT_PREFIX}${JSON.stringify(event)}\n`);
  }
}

function pickInfo({ section, backend, label }: TaskInfo): TaskInfo {
  return { section, backend, label };
}

function describeTask(task: TaskInfo): string {
  return `${task.section} ${task.backend} ${task.label}`;
}

/**
 * The whole run's progress in the parent process, over its own tasks and
 * those its children report. On a terminal it draws a bar with the tasks
 * done, the current task, the time elapsed and an ETA. Elsewhere (CI, a
 * pipe, a file) it prints one line per finished task instead, which a
 * redirected bar would fill with control characters.
 *
 * The total is planned before the backends load. A phase whose backend or
 * anchor could not load finishes fewer tasks than planned, and `endPhase`
 * takes the difference off the total.
 */
export class ProgressBoard implements TaskProgress {
  private done = 0;
  private doneInPhase = 0;
  private total: number;
  private multibar: MultiBar | null;
  private bar: SingleBar | null;

  constructor(
    plannedTotal: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    interactive: boolean = stream.isTTY === true,
  ) {
    this.total = plannedTotal;
    if (!interactive) {
      this.multibar = null;
      this.bar = null;
      return;
    }
    this.multibar = new MultiBar(
      {
        format: '{bar} {value}/{total} tasks | {duration_formatted} elapsed | ETA {eta_formatted} | {task}',
        stream,
        hideCursor: true,
        // Case times range from milliseconds to tens of seconds, so the ETA follows the pace of the last 20 tasks.
        // It changes only when a task ends, because recomputing it during a long task would show no progress and an infinite ETA.
        etaBuffer: 20,
      },
      Presets.shades_classic,
    );
    this.bar = this.multibar.create(plannedTotal, 0, { task: 'starting' });
  }

  started(task: TaskInfo): void {
    this.bar?.update({ task: describeTask(task) });
  }

  finished(task: TaskInfo, outcome: string, failed: boolean): void {
    this.done++;
    this.doneInPhase++;
    const line = `[${this.done}/${this.total}] ${describeTask(task)}: ${failed ? `failed: ${outcome}` : outcome}`;
    if (!this.bar) {
      this.stream.write(`${line}\n`);
      return;
    }
    this.bar.update(this.done);
    // A bar hides the finished tasks, but a failure stays on screen above it.
    if (failed) this.log(line);
  }

  /** Ends a phase that planned `planned` tasks, and takes the tasks it did not run off the total. */
  endPhase(planned: number): void {
    const skipped = Math.max(0, planned - this.doneInPhase);
    this.doneInPhase = 0;
    if (skipped === 0) return;
    this.total -= skipped;
    this.bar?.setTotal(this.total);
  }

  log(line: string): void {
    if (this.multibar) this.multibar.log(`${line}\n`);
    else this.stream.write(`${line}\n`);
  }

  /** Removes the bar; later messages go straight to the stream. */
  stop(): void {
    this.multibar?.stop();
    this.multibar = null;
    this.bar = null;
  }
}
