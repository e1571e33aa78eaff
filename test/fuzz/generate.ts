/**
 * A seeded generator of mutated bundles for the fuzz tests (test/fuzz/fuzz.test.ts runs them through vet and build,
 * test/e2e/dry-run-fuzz.test.ts sends what vet accepted to a real API server). Each case is reproducible from the
 * seed and its index alone. Mutations: valid values (to reach deep into what vet accepts), deletions, type changes,
 * hostile strings, extreme numbers, unknown and prototype keys, unicode, collisions between instances, and values
 * that are not data at all (BigInt, functions, cycles).
 */
import { extremeNumbers, hostileStrings, notData, protoKeys, randomOfAnyType, unicodeKeys, validValues } from "./mutations.ts";
import { chance, pick, random } from "./random.ts";
import { copy, isTree, parentOf, paths, setAt } from "./tree.ts";

export interface FuzzCase {
  readonly index: number;
  readonly bundle: unknown;
  /** What was done, for the failure message. */
  readonly ops: readonly string[];
  /** Holds values that do not survive JSON (BigInt, functions, cycles…): in-process only. */
  readonly jsOnly: boolean;
}

function instanceNames(bundle: unknown): string[] {
  const instances = (bundle as { instances?: unknown }).instances;
  return isTree(instances) ? Object.keys(instances) : [];
}

/** One mutated bundle, from `seed` and `index` alone. */
export function fuzzCase(seed: number, index: number, bases: readonly unknown[]): FuzzCase {
  const rng = random((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const bundle = copy(pick(rng, bases)) as Record<string, unknown>;
  const ops: string[] = [];
  let jsOnly = false;
  let notDataAt: string[] | undefined;
  const count = 1 + Math.floor(rng() * 4);
  for (let i = 0; i < count; i++) {
    const all = paths(bundle);
    const target = all.length > 0 ? pick(rng, all) : ["instances"];
    const names = instanceNames(bundle);
    const r = rng();
    if (r < 0.4 && names.length > 0) {
      const [path, make] = pick(rng, validValues);
      const at = ["instances", pick(rng, names), "values", ...path];
      const value = make(rng);
      setAt(bundle, at, value);
      ops.push(`valid ${at.join(".")}=${JSON.stringify(value)}`);
    } else if (r < 0.5) {
      const parent = parentOf(bundle, target);
      if (parent) delete parent[target[target.length - 1]!];
      ops.push(`delete ${target.join(".")}`);
    } else if (r < 0.6) {
      const value = randomOfAnyType(rng);
      setAt(bundle, target, value);
      ops.push(`type ${target.join(".")}=${JSON.stringify(value)?.slice(0, 60)}`);
    } else if (r < 0.7) {
      const value = pick(rng, hostileStrings);
      setAt(bundle, target, value);
      ops.push(`hostile ${target.join(".")}=${JSON.stringify(value).slice(0, 60)}`);
    } else if (r < 0.75) {
      const value = pick(rng, extremeNumbers);
      setAt(bundle, target, value);
      ops.push(`number ${target.join(".")}=${value}`);
    } else if (r < 0.8) {
      const key = target[target.length - 1]!;
      const typo = key.length > 1 ? key.slice(0, -1) + String.fromCharCode(97 + Math.floor(rng() * 26)) : `${key}x`;
      setAt(bundle, [...target.slice(0, -1), typo], 1);
      ops.push(`unknown key ${[...target.slice(0, -1), typo].join(".")}`);
    } else if (r < 0.85) {
      const key = pick(rng, protoKeys);
      const where = chance(rng, 0.5) && names.length > 0 ? ["instances", key] : [...target.slice(0, -1), key];
      setAt(bundle, where, chance(rng, 0.5) ? { replicas: 3 } : "true");
      ops.push(`proto key ${where.join(".")}`);
    } else if (r < 0.88) {
      const key = pick(rng, unicodeKeys);
      setAt(bundle, [...target.slice(0, -1), key], pick(rng, ["ü", "日本", 1]));
      ops.push(`unicode key ${[...target.slice(0, -1), key].join(".")}`);
    } else if (r < 0.97 && names.length > 0) {
      // Collisions: a copy of an instance in the same namespace, sharing its ServiceAccount or creating its namespace.
      const from = pick(rng, names);
      const copyName = `${from.slice(0, 30)}-copy${i}`;
      const original = (bundle.instances as Record<string, unknown>)[from];
      const instance = (isTree(original) && !Array.isArray(original) ? copy(original) : {}) as Record<string, unknown>;
      const values = (isTree(instance.values) && !Array.isArray(instance.values) ? instance.values : {}) as Record<string, unknown>;
      const mode = pick(rng, ["serviceAccount", "createNamespace", "plain"]);
      if (mode === "serviceAccount") values.serviceAccount = { create: true, name: from };
      if (mode === "createNamespace") instance.createNamespace = true;
      instance.values = values;
      setAt(bundle, ["instances", copyName], instance);
      ops.push(`collide ${copyName} (${mode}) with ${from}`);
    } else {
      notDataAt = target;
    }
  }
  // Last, so that no other mutation walks into a cycle.
  if (notDataAt) {
    setAt(bundle, notDataAt, notData(rng));
    jsOnly = true;
    ops.push(`not data ${notDataAt.join(".")}`);
  }
  return { index, bundle, ops, jsOnly };
}

/** The seed: FUZZ_SEED=random for a new one, a number to replay one; a fixed seed otherwise (CI). */
export function fuzzSeed(env: NodeJS.ProcessEnv = process.env, fixed = 20261202): number {
  const given = env.FUZZ_SEED;
  if (given === "random") return Math.floor(Math.random() * 2 ** 31);
  return given && /^\d+$/.test(given) ? Number(given) : fixed;
}
