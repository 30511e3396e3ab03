import { SingleBar } from 'cli-progress';

/** A progress display that only draws on an interactive terminal. */
export interface Progress {
  /** True when a bar is drawn. */
  readonly active: boolean;
  update(done: number): void;
  stop(): void;
}

/**
 * Shows a progress bar on stderr when it is a terminal and there is more
 * than one item. Otherwise it does nothing, so piped output stays clean.
 */
export function createProgress(total: number, unit: string): Progress {
  if (!process.stderr.isTTY || total < 2) return { active: false, update: () => {}, stop: () => {} };

  const bar = new SingleBar({
    format: `{bar} {value}/{total} ${unit} | {duration_formatted} elapsed, ETA {eta_formatted}`,
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(total, 0);
  return { active: true, update: (done) => bar.update(done), stop: () => bar.stop() };
}
