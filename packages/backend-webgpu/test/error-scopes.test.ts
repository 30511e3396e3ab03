import { afterAll, describe, expect, it } from 'vitest';
import { GpuError } from '../src/errors.js';
import { ErrorScopes } from '../src/gpu/error-scopes.js';
import { BufferUsage } from '../src/gpu/flags.js';
import { skipNote, startBackend } from './helpers.js';

const started = await startBackend({ warmUp: false });

/** A buffer descriptor that WebGPU rejects: MAP_READ combines only with COPY_DST. */
const INVALID_BUFFER: GPUBufferDescriptor = { size: 16, usage: BufferUsage.MAP_READ | BufferUsage.STORAGE };

describe.skipIf(started.unavailable !== null)(`ErrorScopes${skipNote(started)}`, () => {
  afterAll(() => started.backend?.destroy());
  const device = () => started.backend!.device!;

  it('turns a validation error into a rejection', async () => {
    const scopes = new ErrorScopes(device());

    const creating = scopes.captureAsync('creating a test buffer', () => device().createBuffer(INVALID_BUFFER));

    await expect(creating).rejects.toBeInstanceOf(GpuError);
    await expect(scopes.captureAsync('creating a test buffer', () => device().createBuffer(INVALID_BUFFER))).rejects.toThrow(
      /creating a test buffer failed with GPUValidationError: .*MapRead/,
    );
  });

  it('resolves a valid creation', async () => {
    const scopes = new ErrorScopes(device());

    const buffer = await scopes.captureAsync('creating a valid buffer', () => device().createBuffer({ size: 16, usage: BufferUsage.STORAGE }));

    expect(buffer.size).toBe(16);
    buffer.destroy();
  });

  it('reports a synchronous capture on the next check', async () => {
    const scopes = new ErrorScopes(device());

    scopes.capture('creating a deferred buffer', () => device().createBuffer(INVALID_BUFFER));
    await expect(scopes.settle()).rejects.toThrow(/creating a deferred buffer failed with GPUValidationError/);

    // A failure is reported once; the scopes are usable afterwards.
    await expect(scopes.settle()).resolves.toBeUndefined();
  });

  it('keeps the scope stack balanced when creation throws', async () => {
    const scopes = new ErrorScopes(device());

    expect(() => scopes.capture('throwing', () => {
      throw new Error('thrown by the callback');
    })).toThrow('thrown by the callback');

    // An unbalanced stack would make this pop reject with an OperationError.
    device().pushErrorScope('validation');
    await expect(device().popErrorScope()).resolves.toBeNull();
    await expect(scopes.settle()).resolves.toBeUndefined();
  });

  it('rejects a kernel error at the next download', async () => {
    const backend = started.backend!;
    const x = { shape: [4], handle: backend.upload(new Float32Array([1, 2, 3, 4]), [4]) };
    const y = backend.kernels.relu!(x);

    // Record an invalid command into the runtime's open scope, then read back.
    device().pushErrorScope('validation');
    const invalid = device().createBuffer(INVALID_BUFFER);
    await device().popErrorScope();
    device().queue.writeBuffer(invalid, 0, new Float32Array(4));

    await expect(backend.download(y, 4)).rejects.toThrow(/GPUValidationError/);
    await expect(backend.download(y, 4)).resolves.toEqual(new Float32Array([1, 2, 3, 4]));
    backend.disposeData(x.handle);
    backend.disposeData(y);
  });
});
