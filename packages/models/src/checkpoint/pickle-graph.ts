import type { PickleLimits } from './pickle.js';
import { PickleDict, PickleList, isContainer, type PickleTuple, type PickleValue } from './pickle-values.js';

type Container = PickleList | PickleTuple | PickleDict;

interface Frame {
  readonly container: Container;
  readonly children: PickleValue[];
  next: number;
  /** Values reachable from this container so far, one per reference. */
  expanded: number;
}

/**
 * Checks the containers reachable from `root` for cycles, nesting deeper than
 * `maxDepth`, and memo sharing that expands to more than `maxExpandedItems`
 * values ("billion laughs": each level referring twice to the one below).
 * The walk is an iterative depth-first search that finishes each container
 * once, so it runs in time linear in the pickle's size whatever the input.
 *
 * NOTE: a container first reached through a short path is not walked again
 * from a longer one, so the depth found can be less than the true depth of a
 * shared value. Nothing in this package recurses over pickled values, so such
 * a value is harmless here.
 */
export function checkObjectGraph(root: PickleValue, limits: PickleLimits, fail: (message: string) => never): void {
  if (!isContainer(root)) return;

  const onPath = new Set<Container>();
  const finished = new Map<Container, number>();
  const frames: Frame[] = [];

  const enter = (container: Container): void => {
    if (frames.length >= limits.maxDepth) fail(`containers are nested more than ${limits.maxDepth} levels deep`);
    onPath.add(container);
    frames.push({ container, children: childrenOf(container), next: 0, expanded: 1 });
  };

  enter(root);
  while (frames.length > 0) {
    const frame = frames[frames.length - 1];

    if (frame.next < frame.children.length) {
      const child = frame.children[frame.next++];
      if (!isContainer(child)) {
        frame.expanded += 1;
      } else if (onPath.has(child)) {
        fail(`a ${describeContainer(child)} contains itself (a self-referential value cannot be a checkpoint)`);
      } else if (finished.has(child)) {
        frame.expanded += finished.get(child) as number;
      } else {
        enter(child);
      }
      if (frame.expanded > limits.maxExpandedItems) failExpansion(limits, fail);
      continue;
    }

    frames.pop();
    onPath.delete(frame.container);
    finished.set(frame.container, frame.expanded);
    const parent = frames[frames.length - 1];
    if (parent) {
      parent.expanded += frame.expanded;
      if (parent.expanded > limits.maxExpandedItems) failExpansion(limits, fail);
    }
  }
}

function childrenOf(container: Container): PickleValue[] {
  if (container instanceof PickleDict) {
    const children: PickleValue[] = [];
    for (const [key, value] of container.entries) children.push(key, value);
    return children;
  }
  return container instanceof PickleList ? container.items : [...container.items];
}

function describeContainer(container: Container): string {
  if (container instanceof PickleDict) return 'dict';
  return container instanceof PickleList ? 'list' : 'tuple';
}

function failExpansion(limits: PickleLimits, fail: (message: string) => never): never {
  return fail(`shared references expand to more than ${limits.maxExpandedItems} values (a "billion laughs" pickle)`);
}
