import type { TaskProgress } from './progress.js';
import type { AbsentEntry, ResultRow, Task } from './results.js';

/** Summarises a task's rows for the progress output: "median 0.387 ms over 20 runs". */
function describeRows(rows: readonly ResultRow[]): string {
  return rows.map((row) => `${row.op ? `${row.op} ` : ''}median ${row.median_ms} ms over ${row.runs} runs`).join(', ');
}

/**
 * Runs the tasks one after another and reports each to `progress`. A task
 * that throws is added to `absent` with the reason. `afterTask` receives
 * the rows so far after each task.
 */
export async function runTasks(
  tasks: readonly Task[],
  absent: AbsentEntry[],
  progress: TaskProgress,
  afterTask: (rows: readonly ResultRow[]) => Promise<void> = async () => {},
): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for (const task of tasks) {
    progress.started(task);
    try {
      const taskRows = await task.run();
      rows.push(...taskRows);
      progress.finished(task, describeRows(taskRows), false);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      absent.push({ section: task.section, backend: task.backend, case: task.case, reason });
      progress.finished(task, reason, true);
    }
    await afterTask(rows);
  }
  return rows;
}
