import { afterEach, describe, expect, it } from 'vitest';
import {
  BackendUnavailableError,
  NoBackendError,
  backendFailures,
  listBackends,
  ready,
  registerBackend,
  removeBackend,
  setBackend,
  setBackendLogger,
} from '../src/index.js';
import { createMinimalBackend } from './minimal-backend.js';

afterEach(async () => {
  for (const { name } of listBackends()) await removeBackend(name);
  setBackendLogger(() => {});
});

describe('backend registry', () => {
  it('chooses the highest priority that initialises and reports the skipped ones', async () => {
    const log: string[] = [];
    setBackendLogger((line) => log.push(line));
    registerBackend('gpu', () => createMinimalBackend('gpu', 'no adapter found'), 10);
    registerBackend('cpu', () => createMinimalBackend('cpu'), 5);
    registerBackend('slow', () => createMinimalBackend('slow'), 1);

    const chosen = await ready();
    expect(chosen.name).toBe('cpu');
    expect(backendFailures()).toEqual([{ backend: 'gpu', reason: 'no adapter found' }]);
    expect(log).toContain('backend gpu skipped: no adapter found');
    expect(listBackends().find((b) => b.name === 'cpu')?.active).toBe(true);
  });

  it('lists every failure when no backend starts', async () => {
    registerBackend('a', () => createMinimalBackend('a', 'reason A'), 2);
    registerBackend('b', () => createMinimalBackend('b', 'reason B'), 1);
    await expect(ready()).rejects.toThrow(NoBackendError);
    await expect(ready()).rejects.toThrow(/a: reason A; b: reason B/);
  });

  it('names an unregistered backend and the registered ones', async () => {
    registerBackend('cpu', () => createMinimalBackend('cpu'), 1);
    await expect(setBackend('webgpu')).rejects.toThrow(BackendUnavailableError);
    await expect(setBackend('webgpu')).rejects.toThrow(/not registered \(registered: cpu\)/);
  });

  it('reports why an explicitly chosen backend failed', async () => {
    registerBackend('gpu', () => createMinimalBackend('gpu', 'no adapter found'), 1);
    await expect(setBackend('gpu')).rejects.toThrow("backend 'gpu' is unavailable: no adapter found");
  });
});

describe('backend requests', () => {
  it('tells the factory whether the backend was named explicitly', async () => {
    const requests: boolean[] = [];
    registerBackend('gpu', ({ explicit }) => {
      requests.push(explicit);
      return createMinimalBackend('gpu', explicit ? undefined : 'software adapter skipped in automatic choice');
    }, 10);
    registerBackend('cpu', () => createMinimalBackend('cpu'), 5);

    expect((await ready()).name).toBe('cpu');
    expect((await setBackend('gpu')).name).toBe('gpu');
    expect(requests).toEqual([false, true]);
  });
});
