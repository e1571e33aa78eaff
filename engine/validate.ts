/**
 * Validating a bundle so that one run shows every problem: every unknown key (valibot's strict objects stop at the
 * first one per object), the module's checks on every instance that parsed (judged around the values that did
 * not), objects two instances would both own, and namespaces a bundle must not create.
 */
import * as v from "valibot";
import { ValidationError } from "./errors.ts";
import { isMissingKey, isUnknownKey, toValueIssues, type ValueIssue } from "../core/issues.ts";
import type { KubeObject } from "../core/types.ts";

/** What evaluate needs of a module here (see core/types.ts `Module`). */
interface Checked<TValues, TRendered extends { objects: KubeObject[] }> {
  readonly valuesSchema: v.GenericSchema<unknown, TValues>;
  check(values: TValues): ValueIssue[];
  render(values: TValues, context: { name: string; namespace: string }): TRendered;
}

interface ParsedInstance<TValues> {
  readonly namespace: string;
  readonly createNamespace: boolean;
  readonly values: TValues;
}

/** Namespaces Kubernetes itself creates and uses: a bundle must not create (and relabel) them. */
const systemNamespaces: readonly string[] = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** A copy of the plain objects and arrays in `value` (validation deletes keys from it); other values as they are. */
function copyData(value: unknown, seen: Map<object, unknown>): unknown {
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return seen.get(value);
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
  seen.set(value, copy);
  for (const key of Object.keys(value)) (copy as Record<string, unknown>)[key] = copyData((value as Record<string, unknown>)[key], seen);
  return copy;
}

/** Where to cut the input so that an issue goes away: the innermost object key at or above it. */
function cutPoint(issue: v.BaseIssue<unknown>): { parent: Record<string, unknown>; key: string; path: string } | undefined {
  const path = issue.path ?? [];
  // A missing key cannot be deleted: its object can.
  for (let i = path.length - (isMissingKey(issue) ? 2 : 1); i >= 0; i--) {
    const item = path[i]!;
    if (item.type === "object") {
      return {
        parent: item.input as Record<string, unknown>,
        key: String(item.key),
        path: path
          .slice(0, i + 1)
          .map((p) => String(p.key))
          .join("."),
      };
    }
  }
  return undefined;
}

export interface Validation<TOutput> {
  /** The output, with every value that had an issue replaced by its default (undefined when no such output exists). */
  readonly output: TOutput | undefined;
  /** Every issue: all of the first parse, and the unknown keys each later parse revealed. */
  readonly issues: v.BaseIssue<unknown>[];
  /** Dotted paths of the values cut out to reach `output`. */
  readonly cut: string[];
}

/**
 * Parses `input`, then, while it fails, cuts out what failed and parses again: each round reveals the next unknown
 * key of each object, and the output at the end holds every value that was valid, so checks can run on it.
 */
export function validateAll<TSchema extends v.GenericSchema>(schema: TSchema, input: unknown): Validation<v.InferOutput<TSchema>> {
  const copy = copyData(input, new Map());
  const first = v.safeParse(schema, copy);
  if (first.success) return { output: first.output, issues: [], cut: [] };
  const issues = [...first.issues];
  const cut: string[] = [];
  let current = first.issues;
  for (;;) {
    let progress = false;
    for (const issue of current) {
      const at = cutPoint(issue);
      if (at && Object.hasOwn(at.parent, at.key)) {
        delete at.parent[at.key];
        cut.push(at.path);
        progress = true;
      }
    }
    if (!progress) return { output: undefined, issues, cut };
    const next = v.safeParse(schema, copy);
    if (next.success) return { output: next.output, issues, cut };
    issues.push(...next.issues.filter(isUnknownKey));
    current = next.issues;
  }
}

/** Whether two dotted paths are one inside the other. */
const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

/** The path of a string equal to `text` in `value` (the value that named an object), if any. */
function pathOfString(value: unknown, text: string, path: string[] = []): string[] | undefined {
  if (value === text) return path;
  if (value === null || typeof value !== "object") return undefined;
  for (const key of Object.keys(value)) {
    const found = pathOfString((value as Record<string, unknown>)[key], text, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/** `<group>/<kind>/<namespace>/<name>`: two objects with the same identity are one object in the cluster. */
function identity(object: KubeObject): string {
  const group = object.apiVersion.includes("/") ? object.apiVersion.split("/")[0] : "";
  return `${group}/${object.kind}/${object.metadata.namespace}/${object.metadata.name}`;
}

/**
 * Objects that two instances would both render (e.g. one's `serviceAccount.name` is the other's account): each
 * apply would overwrite and prune the other's. (Namespaces are the bundle's, created once: engine/namespaces.ts.)
 */
function duplicateObjects(rendered: readonly { name: string; input: unknown; objects: readonly KubeObject[] }[]): ValueIssue[] {
  const owners = new Map<string, string>();
  const issues: ValueIssue[] = [];
  for (const instance of rendered) {
    for (const object of instance.objects) {
      const id = identity(object);
      const owner = owners.get(id);
      if (owner === undefined) {
        owners.set(id, instance.name);
        continue;
      }
      const found = pathOfString(instance.input, object.metadata.name);
      issues.push({
        path: found ? [instance.name, "values", ...found].join(".") : instance.name,
        message: `instance "${instance.name}" renders ${object.kind} "${[object.metadata.namespace, object.metadata.name].filter(Boolean).join("/")}", which instance "${owner}" renders too: one object cannot belong to two instances (each apply would overwrite it, and deleting one would delete the other's). Fix: give it another name.`,
      });
    }
  }
  return issues;
}

/**
 * Validates a bundle against `schema` (core/bundle.ts × the module's values) and the module's checks, and
 * returns its instances with what each renders (rendered once, here, to find objects two instances share);
 * throws one ValidationError with every problem otherwise.
 */
export function validateBundle<TValues, TSchema extends v.GenericSchema, TRendered extends { objects: KubeObject[] }>(
  module: Checked<TValues, TRendered>,
  schema: TSchema,
  input: unknown,
  file: string,
): { output: v.InferOutput<TSchema>; renders: ReadonlyMap<string, TRendered> } {
  const { output, issues: schemaIssues, cut } = validateAll(schema, input);
  const issues: ValueIssue[] = [];
  const rendered: { name: string; input: unknown; objects: KubeObject[] }[] = [];
  const renders = new Map<string, TRendered>();
  for (const [name, instance] of Object.entries((output as { instances?: Record<string, ParsedInstance<TValues>> } | undefined)?.instances ?? {})) {
    if (instance.createNamespace && systemNamespaces.includes(instance.namespace)) {
      issues.push({
        path: `instances.${name}.createNamespace`,
        message: `"${instance.namespace}" is a namespace Kubernetes creates and uses itself: the bundle must not create it or label it to enforce the restricted Pod Security Standard. Fix: remove createNamespace, or choose a namespace of your own.`,
      });
    }
    for (const issue of module.check(instance.values)) issues.push({ path: `instances.${name}.values.${issue.path}`, message: issue.message });
    const raw = (input as { instances: Record<string, { values?: unknown }> }).instances[name]!;
    const result = module.render(instance.values, { name, namespace: instance.namespace });
    renders.set(name, result);
    rendered.push({ name, input: raw.values, objects: result.objects });
  }
  issues.push(...duplicateObjects(rendered).map((issue) => ({ ...issue, path: `instances.${issue.path}` })));
  // Checks ran on defaults where a value was cut out: what they say about that value, or about the object that held
  // it (below an instance's values root, e.g. `chromadb` after a bad `chromadb.apiVersion`), is not about the user's.
  const scopes = cut.map((path) => {
    const keys = path.split(".");
    return keys.length > 4 ? keys.slice(0, -1).join(".") : path;
  });
  const kept = [...toValueIssues(schemaIssues), ...issues.filter((issue) => !scopes.some((path) => overlaps(issue.path, path)))];
  if (kept.length > 0) {
    // Grouped by instance, in the bundle's order.
    const order = Object.keys((input as { instances?: object } | null)?.instances ?? {});
    const rank = (path: string) => order.indexOf(path.split(".")[1]!);
    kept.sort((a, b) => rank(a.path) - rank(b.path));
    throw new ValidationError(
      file,
      kept.map((issue) => ({ ...issue, path: issue.path.replace(/^instances\./, "") })),
    );
  }
  return { output: output!, renders };
}
