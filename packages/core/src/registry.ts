import type { Backend } from './backend.js';
import { BackendUnavailableError, MobileMambaError, NoBackendError, type BackendFailure } from './errors.js';

/** Context a backend factory receives about the request that creates it. */
export interface BackendRequest {
  /**
   * True when the caller named this backend with `setBackend`, false during
   * automatic choice. A backend may then accept a device it would skip
   * automatically, such as a software GPU that is slower than the CPU.
   */
  readonly explicit: boolean;
}

/** Creates a backend instance; called until one initialises successfully. */
export type BackendFactory = (request: BackendRequest) => Backend | Promise<Backend>;

interface Registration {
  readonly name: string;
  readonly factory: BackendFactory;
  readonly priority: number;
  /** The initialised backend, once `init()` has succeeded. */
  instance?: Backend;
  /** Reason the last initialisation attempt failed. */
  failure?: string;
}

/** A registered backend as `listBackends` reports it. */
export interface BackendInfo {
  readonly name: string;
  readonly priority: number;
  readonly initialized: boolean;
  readonly active: boolean;
  /** Reason initialisation failed, when it was tried and failed. */
  readonly failure?: string;
}

const registrations = new Map<string, Registration>();
let active: Backend | null = null;
let pending: Promise<Backend> | null = null;
let failures: BackendFailure[] = [];
let logger: (message: string) => void = () => {};

/**
 * Registers a backend under `name`. With no explicit `setBackend`, the
 * highest priority whose initialisation succeeds becomes active.
 * Registering a name again replaces the earlier registration.
 */
export function registerBackend(name: string, factory: BackendFactory, priority = 0): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new MobileMambaError(`registerBackend: invalid name ${JSON.stringify(name)}`);
  }
  if (!Number.isFinite(priority)) {
    throw new MobileMambaError(`registerBackend: priority of '${name}' must be a finite number, got ${priority}`);
  }
  const previous = registrations.get(name);
  if (previous?.instance && previous.instance === active) active = null;
  registrations.set(name, { name, factory, priority });
}

/** Removes a backend registration and destroys its instance. */
export async function removeBackend(name: string): Promise<void> {
  const registration = registrations.get(name);
  if (!registration) return;
  registrations.delete(name);
  if (registration.instance === active) active = null;
  await registration.instance?.destroy?.();
}

/**
 * Receives one line per backend decision: which backend was chosen, and
 * why each skipped one was skipped. Silent by default.
 */
export function setBackendLogger(log: (message: string) => void): void {
  logger = log;
}

/** Makes the named backend active, initialising it if needed. */
export async function setBackend(name: string): Promise<Backend> {
  const registration = registrations.get(name);
  if (!registration) {
    const known = [...registrations.keys()];
    throw new BackendUnavailableError(
      name,
      `not registered (registered: ${known.length ? known.join(', ') : 'none'})`,
    );
  }

  const backend = await initialise(registration, { explicit: true });
  if (!backend) throw new BackendUnavailableError(name, registration.failure ?? 'initialisation failed');
  active = backend;
  logger(`backend ${name} selected explicitly`);
  return backend;
}

/**
 * Resolves to the active backend, choosing one by priority on first use
 * and falling back past backends whose initialisation fails.
 */
export async function ready(): Promise<Backend> {
  if (active) return active;
  pending ??= chooseBackend().finally(() => {
    pending = null;
  });
  return pending;
}

/** Returns the active backend; throws when none has been made ready. */
export function getBackend(): Backend {
  if (!active) {
    throw new MobileMambaError('no active backend: await ready() or setBackend(name) first');
  }
  return active;
}

/** Returns the active backend, or null when none is ready yet. */
export function activeBackend(): Backend | null {
  return active;
}

export function listBackends(): BackendInfo[] {
  return [...registrations.values()]
    .sort((a, b) => b.priority - a.priority)
    .map((r) => ({
      name: r.name,
      priority: r.priority,
      initialized: r.instance !== undefined,
      active: r.instance !== undefined && r.instance === active,
      ...(r.failure !== undefined ? { failure: r.failure } : {}),
    }));
}

/** Backends skipped by the last automatic choice, with the reasons. */
export function backendFailures(): readonly BackendFailure[] {
  return failures;
}

async function chooseBackend(): Promise<Backend> {
  failures = [];
  const ordered = [...registrations.values()].sort((a, b) => b.priority - a.priority);
  for (const registration of ordered) {
    const backend = await initialise(registration, { explicit: false });
    if (backend) {
      active = backend;
      logger(`backend ${registration.name} selected (priority ${registration.priority})`);
      return backend;
    }
    failures.push({ backend: registration.name, reason: registration.failure ?? 'initialisation failed' });
    logger(`backend ${registration.name} skipped: ${registration.failure}`);
  }
  throw new NoBackendError(failures);
}

async function initialise(registration: Registration, request: BackendRequest): Promise<Backend | null> {
  if (registration.instance) return registration.instance;
  try {
    const backend = await registration.factory(request);
    await backend.init();
    registration.instance = backend;
    delete registration.failure;
    return backend;
  } catch (error) {
    registration.failure = error instanceof Error ? error.message : String(error);
    return null;
  }
}
