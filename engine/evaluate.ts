/**
 * The evaluator: a loaded bundle + `--set` overrides → validated values → rendered objects, per instance.
 * It knows modules only through the `Module` interface: a values schema, checks, a pure render.
 */
import { createHash } from "node:crypto";
import * as v from "valibot";
import { parse as parseYaml } from "yaml";
import { bundleSchemaFor } from "./bundle.ts";
import { UserError, ValidationError } from "./errors.ts";
import type { ValueIssue } from "./issues.ts";
import { validateBundle } from "./validate.ts";
import { bundleNameFromFile } from "./bundle-name.ts";
import { createdNamespaces } from "./namespaces.ts";
import type { RenderedInstance, Rendered } from "./types.ts";

export interface Module<TValues> {
  readonly name: string;
  readonly version: string;
  readonly valuesSchema: v.GenericSchema<unknown, TValues>;
  check(values: TValues): ValueIssue[];
  render(values: TValues, context: { name: string; namespace: string }): Rendered;
}

export interface EvaluatedInstance<TValues> extends RenderedInstance {
  readonly values: TValues;
}

/** `--set <instance>.<path>=<value>`: the value is read as YAML (`true`, `3`, `[a, b]`, `"text"`). */
export interface Override {
  readonly instance: string;
  readonly path: readonly string[];
  readonly value: unknown;
}

export function parseOverride(text: string): Override {
  const eq = text.indexOf("=");
  const keys = eq > 0 ? text.slice(0, eq).split(".") : [];
  if (keys.length < 2 || keys.some((key) => key === "")) {
    throw new UserError(`--set ${text}: expected <instance>.<value path>=<value>.`, "Example: --set vectors.chromadb.auth.enabled=false");
  }
  const raw = text.slice(eq + 1);
  let value: unknown;
  try {
    value = parseYaml(raw);
  } catch {
    value = raw;
  }
  return { instance: keys[0]!, path: keys.slice(1), value };
}

function applyOverrides(bundle: unknown, overrides: readonly Override[]): unknown {
  if (overrides.length === 0) return bundle;
  const copy = structuredClone(bundle) as { instances?: Record<string, { values?: Record<string, unknown> }> };
  const instances = copy?.instances ?? {};
  for (const override of overrides) {
    const instance = instances[override.instance];
    if (!instance) {
      const known = Object.keys(instances);
      throw new UserError(
        `--set ${override.instance}.${override.path.join(".")}: the bundle has no instance "${override.instance}".`,
        `Known instances: ${known.length ? known.join(", ") : "(none)"}. The first segment of a --set path names the instance.`,
      );
    }
    let node = (instance.values ??= {}) as Record<string, unknown>;
    for (const key of override.path.slice(0, -1)) {
      const next = node[key];
      node = (node[key] = next !== null && typeof next === "object" && !Array.isArray(next) ? next : {}) as Record<string, unknown>;
    }
    node[override.path[override.path.length - 1]!] = override.value;
  }
  return copy;
}

/** JSON with sorted keys: a stable input for digests. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`);
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
  const input = applyOverrides(bundle, options.overrides ?? []);
  const schema = bundleSchemaFor(module.valuesSchema);
  // Every problem at once (engine/validate.ts): schema issues, the module's checks, objects two instances share.
  const parsed = { output: validateBundle(module, schema, input, options.file) };
  const entries = Object.entries(parsed.output.instances) as [string, { namespace: string; createNamespace: boolean; values: TValues }][];
  const created = createdNamespaces(entries.map(([, instance]) => instance));
  const bundleName = parsed.output.name ?? bundleNameFromFile(options.file);
  return entries
    .sort(([a], [b]) => (a < b ? -1 : 1)) // instance names are unique keys
    .map(([name, instance]) => {
      const rendered = module.render(instance.values, { name, namespace: instance.namespace });
      return {
        name,
        namespace: instance.namespace,
        values: instance.values,
        module: `${module.name}/${module.version}`,
        valuesDigest: digestOf(instance.values),
        objects: rendered.objects,
        createNamespace: created.has(instance.namespace), // the bundle creates each namespace once (engine/namespaces.ts)
        bundle: bundleName,
        generatedSecrets: rendered.generatedSecrets,
      };
    });
}

export { namespaceObject } from "./namespaces.ts";
