/**
 * The evaluator: a loaded bundle + `--set` overrides → validated values → rendered objects, per instance.
 * It knows modules only through the `Module` interface: a values schema, checks, a pure render.
 */
import { createHash } from "node:crypto";
import { bundleSchemaFor } from "../core/bundle.ts";
import { UserError, ValidationError } from "./errors.ts";
import { plainData, reservedKeyMessage, reservedKeys } from "./plain-data.ts";
import { validateBundle } from "./validate.ts";
import { bundleNameFromFile } from "./bundle-name.ts";
import { createdNamespaces } from "./namespaces.ts";
import type { Module, RenderedInstance } from "../core/types.ts";
import type { Override } from "./overrides.ts";

export interface EvaluatedInstance<TValues> extends RenderedInstance {
  readonly values: TValues;
}

export const setExample = "Example: --set vectors.chromadb.auth.enabled=false";

type Node = Record<string, unknown> | unknown[];

const isNode = (value: unknown): value is Node => value !== null && typeof value === "object";
const own = (node: Node, key: string) => (Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined);

/** The bundle as plain data (engine/plain-data.ts) with the overrides applied. */
function applyOverrides(bundle: unknown, overrides: readonly Override[], file: string): unknown {
  const data = plainData(bundle);
  for (const override of overrides) {
    const value = plainData(override.value, ["instances", override.instance, "values", ...override.path]);
    data.issues.push(...value.issues.map((issue) => ({ ...issue, message: `(--set) ${issue.message}` })));
  }
  if (data.issues.length > 0) {
    throw new ValidationError(
      file,
      data.issues.map((issue) => ({ ...issue, path: issue.path.replace(/^instances(\.|$)/, "") })),
      "A bundle is plain data: objects, arrays, strings, numbers, booleans and null. Replace each value above with one.",
    );
  }
  const copy = data.value as { instances?: unknown };
  const instances = (isNode(copy) && isNode(copy.instances) ? copy.instances : {}) as Record<string, unknown>;
  for (const override of overrides) {
    const shown = `--set ${[override.instance, ...override.path].join(".")}`;
    const reserved = [override.instance, ...override.path].find((key) => reservedKeys.has(key));
    if (reserved !== undefined) throw new UserError(`${shown}: ${reservedKeyMessage(reserved)}.`, setExample);
    if (!Object.hasOwn(instances, override.instance)) {
      const known = Object.keys(instances);
      throw new UserError(
        `${shown}: the bundle has no instance "${override.instance}".`,
        `Known instances: ${known.length ? known.join(", ") : "(none)"}. The first segment of a --set path names the instance.`,
      );
    }
    if (!isNode(instances[override.instance])) instances[override.instance] = {};
    const instance = instances[override.instance] as Record<string, unknown>;
    if (override.path.length === 0) {
      instance.values = override.value;
      continue;
    }
    if (!isNode(instance.values)) instance.values = {};
    let node = instance.values as Node;
    for (const [i, key] of override.path.entries()) {
      const at = [override.instance, "values", ...override.path.slice(0, i)].join(".");
      if (Array.isArray(node)) {
        if (!/^\d+$/.test(key)) throw new UserError(`${shown}: ${at} is a list: its items are numbered from 0 (e.g. ${at}.0).`, setExample);
        if (Number(key) > node.length) {
          throw new UserError(
            `${shown}: ${at} has ${node.length} item${node.length === 1 ? "" : "s"}: index ${key} is past its end.`,
            `Set an existing item (0 to ${node.length - 1}), or append one at index ${node.length}.`,
          );
        }
      }
      if (i === override.path.length - 1) {
        (node as Record<string, unknown>)[key] = override.value;
        break;
      }
      const next = own(node, key);
      // A missing or non-object step is replaced: by a list when the next segment is a number.
      node = (node as Record<string, Node>)[key] = isNode(next) ? next : /^\d+$/.test(override.path[i + 1]!) ? [] : {};
    }
  }
  return copy;
}

/** A key JavaScript enumerates before the others, in numeric order (an array index): sorting cannot place it. */
const indexKey = /^(?:0|[1-9]\d{0,9})$/;

class IndexKey extends Error {}

/** The replacer that makes JSON.stringify write objects with sorted keys, and what JSON has no value for as null. */
function sortedKeys(_key: string, value: unknown): unknown {
  if (value === undefined || typeof value === "function" || typeof value === "symbol") return null;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const keys = Object.keys(value).sort();
  if (keys.some((key) => indexKey.test(key) && Number(key) < 2 ** 32 - 1)) throw new IndexKey();
  return Object.fromEntries(keys.map((key) => [key, (value as Record<string, unknown>)[key]]));
}

/**
 * JSON with sorted keys: a stable input for digests. JSON.stringify writes it (natively, several times faster) unless
 * an object has an array-index key, which no object can hold in sorted order; then it is written key by key.
 */
function stableJson(value: unknown): string {
  try {
    return JSON.stringify(value, sortedKeys) as string;
  } catch {
    return keyByKey(value); // an IndexKey (or what JSON.stringify refuses, which this refuses the same way)
  }
}

function keyByKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(keyByKey).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${keyByKey((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function digestOf(value: unknown): string {
  return `sha256:${createHash("sha256").update(stableJson(value)).digest("hex")}`;
}

/** Validates every instance (all issues at once) and renders each. */
export function evaluate<TValues>(
  module: Module<TValues>,
  bundle: unknown,
  options: { file: string; overrides?: readonly Override[] },
): EvaluatedInstance<TValues>[] {
  const input = applyOverrides(bundle, options.overrides ?? [], options.file);
  const schema = bundleSchemaFor(module.valuesSchema);
  // Every problem at once (engine/validate.ts): schema issues, the module's checks, objects two instances share.
  const parsed = validateBundle(module, schema, input, options.file);
  const entries = Object.entries(parsed.output.instances) as [string, { namespace: string; createNamespace: boolean; values: TValues }][];
  const created = createdNamespaces(entries.map(([, instance]) => instance));
  const bundleName = parsed.output.name ?? bundleNameFromFile(options.file);
  return entries
    .sort(([a], [b]) => (a < b ? -1 : 1)) // instance names are unique keys
    .map(([name, instance]) => {
      const rendered = parsed.renders.get(name)!;
      return {
        name,
        namespace: instance.namespace,
        values: instance.values,
        module: `${module.name}/${module.version}`,
        valuesDigest: digestOf(instance.values),
        objects: rendered.objects,
        createNamespace: created.has(instance.namespace), // the bundle creates each namespace once (engine/namespaces.ts)
        bundle: bundleName,
        bundleNameFromFile: parsed.output.name === undefined,
        generatedSecrets: rendered.generatedSecrets,
      };
    });
}
