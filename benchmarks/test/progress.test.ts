import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ChildProgress, parseProgressEvent, ProgressBoard } from '../src/progress.js';

const TASK = { section: 'ops' as const, backend: 'cpu', label: 'conv1x1-256 x [1, 256, 16, 16]' };

/** Collects what a writer writes, split into lines. */
function capture(): { stream: PassThrough & NodeJS.WriteStream; lines: () => string[] } {
  const stream = new PassThrough() as PassThrough & NodeJS.WriteStream;
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean) };
}

describe('ProgressBoard without a terminal', () => {
  it('prints one line per finished task', () => {
    const { stream, lines } = capture();
    const board = new ProgressBoard(3, stream, false);

    board.started(TASK);
    board.finished(TASK, 'median 0.5 ms over 20 runs', false);
    board.finished({ ...TASK, backend: 'reference' }, 'out of memory', true);
    board.stop();

    expect(lines()).toEqual([
      '[1/3] ops cpu conv1x1-256 x [1, 256, 16, 16]: median 0.5 ms over 20 runs',
      '[2/3] ops reference conv1x1-256 x [1, 256, 16, 16]: failed: out of memory',
    ]);
  });

  it('takes tasks that did not run off the total', () => {
    const { stream, lines } = capture();
    const board = new ProgressBoard(10, stream, false);

    board.finished(TASK, 'done', false);
    board.endPhase(5);
    board.finished(TASK, 'done', false);

    expect(lines()).toEqual(['[1/10] ops cpu conv1x1-256 x [1, 256, 16, 16]: done', '[2/6] ops cpu conv1x1-256 x [1, 256, 16, 16]: done']);
  });
});

describe('ChildProgress', () => {
  it('writes events that the parent reads back', () => {
    const { stream, lines } = capture();
    const child = new ChildProgress(stream);

    child.started(TASK);
    child.finished(TASK, 'median 1 ms over 3 runs', false);
    child.log('backends: webgpu');

    const [started, finished, plain] = lines();
    expect(parseProgressEvent(started)).toEqual({ event: 'started', task: TASK });
    expect(parseProgressEvent(finished)).toEqual({ event: 'finished', task: TASK, outcome: 'median 1 ms over 3 runs', failed: false });
    expect(plain).toBe('backends: webgpu');
    expect(parseProgressEvent(plain)).toBeNull();
  });
});
