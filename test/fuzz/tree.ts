/** Walking and changing the plain data of a bundle for the fuzz mutations (test/fuzz/generate.ts). */

type Tree = Record<string, unknown> | unknown[];
/** Plain objects and arrays: what mutations walk into (not Dates, Maps, promises…). */
export const isTree = (value: unknown): value is Tree =>
  value !== null && typeof value === "object" && (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype);

/** A deep copy of the plain data in `value`, own `__proto__` keys included (structuredClone drops them). */
export function copy(value: unknown): unknown {
  if (!isTree(value)) return value;
  const out: Tree = Array.isArray(value) ? [] : {};
  for (const key of Object.keys(value))
    Object.defineProperty(out, key, { value: copy((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
  return out;
}

/** Every path to a value of the tree (objects and arrays included), the root excepted. */
export function paths(tree: unknown, path: string[] = [], out: string[][] = []): string[][] {
  if (!isTree(tree)) return out;
  for (const key of Object.keys(tree)) {
    out.push([...path, key]);
    paths((tree as Record<string, unknown>)[key], [...path, key], out);
  }
  return out;
}

export function parentOf(tree: unknown, path: readonly string[]): Record<string, unknown> | undefined {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    if (!isTree(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return isTree(node) ? (node as Record<string, unknown>) : undefined;
}

/** Sets a value at a path, creating objects on the way (an own property even for `__proto__`). */
export function setAt(tree: unknown, path: readonly string[], value: unknown): void {
  let node = tree as Record<string, unknown>;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!isTree(next) || !Object.hasOwn(node, key)) Object.defineProperty(node, key, { value: {}, enumerable: true, writable: true, configurable: true });
    node = node[key] as Record<string, unknown>;
  }
  Object.defineProperty(node, path[path.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
}
