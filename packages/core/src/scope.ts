import type { Tensor } from './tensor.js';

/**
 * Scopes opened by `tidy`. Each records the tensors created while it is
 * the innermost one, so that it can dispose them when the function returns.
 */
const scopes: Set<Tensor>[] = [];

export function trackTensor(tensor: Tensor): void {
  scopes[scopes.length - 1]?.add(tensor);
}

export function untrackTensor(tensor: Tensor): void {
  scopes[scopes.length - 1]?.delete(tensor);
}

/** Anything `tidy` may return: tensors are kept, everything else passes through. */
export type TidyResult = Tensor | readonly Tensor[] | Record<string, Tensor> | void | number | string | null;

/**
 * Runs `fn` and disposes every tensor it created except those it returns
 * (a tensor, an array of tensors or an object of tensors) and those passed
 * to `keep`. Returned tensors move to the enclosing scope. When `fn`
 * throws, every tensor it created is disposed. `fn` must be synchronous,
 * because a scope cannot follow an await.
 */
export function tidy<T extends TidyResult>(fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError(`tidy: expected a function, got ${typeof fn}`);
  const scope = new Set<Tensor>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    // A failed op leaves no result to keep, so everything the scope made is freed.
    scopes.pop();
    for (const tensor of scope) tensor.dispose();
    throw error;
  }
  scopes.pop();

  if (result instanceof Promise) {
    throw new TypeError('tidy: the function must be synchronous; it returned a Promise');
  }

  const survivors = collectTensors(result);
  for (const tensor of scope) {
    if (survivors.has(tensor)) trackTensor(tensor);
    else tensor.dispose();
  }
  return result;
}

/** Excludes a tensor from disposal by the enclosing `tidy` scopes. */
export function keep<T extends Tensor>(tensor: T): T {
  for (const scope of scopes) scope.delete(tensor);
  return tensor;
}

function collectTensors(result: unknown): Set<Tensor> {
  const found = new Set<Tensor>();
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    if ('handle' in value && 'shape' in value && 'dispose' in value) {
      found.add(value as Tensor);
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else {
      Object.values(value).forEach(visit);
    }
  };
  visit(result);
  return found;
}
