/**
 * What `vet` accepts, the cluster accepts: every object of every fuzzed bundle (test/fuzz/generate.ts, the seed of
 * test/fuzz/fuzz.test.ts) that vet passed is sent to the real local control plane as a server-side dry-run create,
 * with strict field validation, as apply would send it (owner labels, the bundle's Namespaces, generated Secrets).
 * Zero rejections. The bundles' Namespace objects are dry-run created under their own names; the namespaced objects
 * go to namespaces of this test's own (one per namespace the bundles use, created first, removed at the end), so
 * that tests running beside it never see their namespaces appear or vanish.
 */
import { randomBytes } from "node:crypto";
import t from "tap";
import { fillSecretData, generatedSecretObject } from "../../engine/apply/generated.ts";
import { ownerLabels } from "../../engine/apply/labels.ts";
import { UserError } from "../../engine/errors.ts";
import { evaluate, type EvaluatedInstance } from "../../engine/evaluate.ts";
import { bundleNamespaces } from "../../engine/namespaces.ts";
import type { KubeObject } from "../../core/types.ts";
import { chromaModule } from "../../module/index.ts";
import type { Values } from "../../schemas/values.ts";
import { fuzzBases } from "../fuzz/bases.ts";
import { fuzzCase, fuzzSeed } from "../fuzz/generate.ts";
import { setup } from "./fixtures/helpers.ts";

const seed = fuzzSeed();
const count = Number(process.env.FUZZ_COUNT ?? 2000);
const bases = await fuzzBases();

/** The objects apply would send for an accepted bundle. */
function objectsOf(instances: EvaluatedInstance<Values>[]): KubeObject[] {
  return [
    ...bundleNamespaces(instances),
    ...instances.flatMap((instance) => {
      const labels = ownerLabels(instance);
      const owned = (object: KubeObject): KubeObject => ({ ...object, metadata: { ...object.metadata, labels: { ...object.metadata.labels, ...labels } } });
      // A fixed htpasswd line: bcrypt for every basic-auth instance would only slow the test down.
      const secrets = instance.generatedSecrets.map((spec) =>
        generatedSecretObject(spec, fillSecretData(spec, { htpasswd: "admin:$2y$10$abcdefghijklmnopqrstuuAbCdEfGhIjKlMnOpQrStUvWxYz01234" }).data, labels),
      );
      return [...instance.objects.map(owned), ...secrets];
    }),
  ];
}

const e = await setup("e2e-fuzz");
const created: string[] = [];
t.teardown(() => {
  if (created.length > 0) e.kubectl(["delete", "namespace", ...created, "--wait=false"]);
  e.client.close();
});

t.test(`every object of the fuzzed bundles vet accepted: a server-side dry-run create, 0 rejections`, async (t) => {
  t.setTimeout(900_000);
  t.comment(`fuzz seed: ${seed} (replay with FUZZ_SEED=${seed})`);
  const accepted: { index: number; ops: readonly string[]; objects: KubeObject[] }[] = [];
  for (let index = 0; index < count; index++) {
    const c = fuzzCase(seed, index, bases);
    try {
      accepted.push({ index, ops: c.ops, objects: objectsOf(evaluate(chromaModule, c.bundle, { file: "fuzz.config.ts" })) });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
    }
  }
  // Many bundles share objects (an instance no mutation touched): each distinct object is sent once.
  const distinct = new Map<string, (typeof accepted)[number] & { object: KubeObject }>();
  for (const a of accepted) for (const object of a.objects) distinct.set(JSON.stringify(object), { ...a, object });
  // Namespaces first, this test's own: the bundles' objects are created (dry-run) inside them.
  const run = randomBytes(3).toString("hex");
  const namespaces = new Map<string, string>();
  for (const { object } of distinct.values()) {
    const ns = object.metadata.namespace;
    if (ns !== undefined && !namespaces.has(ns)) namespaces.set(ns, `fuzz-${run}-${namespaces.size}`);
  }
  for (const ns of namespaces.values()) {
    const r = e.kubectl(["create", "namespace", ns]);
    t.equal(r.code, 0, `namespace ${ns}: ${r.stderr}`);
    created.push(ns);
  }
  const jobs = [...distinct.values()].map((job) => {
    const ns = job.object.metadata.namespace;
    return ns === undefined ? job : { ...job, object: { ...job.object, metadata: { ...job.object.metadata, namespace: namespaces.get(ns)! } } };
  });
  const rejections: string[] = [];
  let existing = 0;
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const { object } = job;
        const path = await e.client.pathFor({ apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace });
        const res = await e.client.raw({ method: "POST", path, query: { dryRun: "All", fieldValidation: "Strict" }, body: object });
        // AlreadyExists comes after validation (the bundles' Namespaces, created above): the object was valid.
        if (res.status === 409 && (res.body as { reason?: string }).reason === "AlreadyExists") existing++;
        else if (res.status !== 201 && res.status !== 200) {
          const message = (res.body as { message?: string }).message ?? JSON.stringify(res.body);
          rejections.push(
            `case ${job.index} (FUZZ_SEED=${seed}; ${job.ops.join("; ")}): ${object.kind} ${object.metadata.namespace ?? ""}/${object.metadata.name}: ${res.status} ${message}`,
          );
        }
      }
    }),
  );
  t.comment(
    `${accepted.length} of ${count} bundles accepted by vet; ${accepted.reduce((n, a) => n + a.objects.length, 0)} objects, ${jobs.length} distinct, dry-run created in ${((Date.now() - started) / 1000).toFixed(1)} s (${existing} already existed), ${namespaces.size} namespaces`,
  );
  t.ok(accepted.length > count / 10, `${accepted.length} bundles to check`);
  // The check can fail: an object with what vet refuses (a label value with a space) is rejected the same way.
  const control = structuredClone(jobs[0]!.object);
  control.metadata.labels = { ...control.metadata.labels, team: "a b" };
  const path = await e.client.pathFor({ apiVersion: control.apiVersion, kind: control.kind, namespace: control.metadata.namespace });
  const refused = await e.client.raw({ method: "POST", path, query: { dryRun: "All", fieldValidation: "Strict" }, body: control });
  t.equal(refused.status, 422, "a label value vet refuses, the API server refuses too");
  t.same(rejections.slice(0, 20), [], `0 rejections (${rejections.length} rejected)`);
});
