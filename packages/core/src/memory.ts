import type { BackendMemory } from './backend.js';
import { activeBackend } from './registry.js';
import { liveTensorCount } from './tensor.js';

export interface MemoryInfo {
  /** Tensors created and not yet disposed, on every backend. */
  numTensors: number;
  /** The active backend's own figures, or null when no backend is active. */
  backend: BackendMemory | null;
}

/** Reports live tensors and what the active backend holds; use it to find leaks. */
export function memory(): MemoryInfo {
  return { numTensors: liveTensorCount(), backend: activeBackend()?.memory() ?? null };
}
