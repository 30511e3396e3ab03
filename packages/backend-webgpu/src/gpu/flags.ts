/**
 * Numeric flags of the WebGPU specification. Dawn's Node bindings only put
 * GPUBufferUsage and GPUMapMode on globalThis when the caller copies
 * `globals` there, so the backend carries the values itself.
 */
export const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

export const MapMode = { READ: 0x0001 } as const;

export const ShaderStage = { COMPUTE: 0x4 } as const;

/** Usage of every tensor buffer: bound as storage, filled by uploads, copied out by downloads. */
export const TENSOR_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;

/** Usage of the buffers a download copies into and maps. */
export const STAGING_USAGE = BufferUsage.MAP_READ | BufferUsage.COPY_DST;
