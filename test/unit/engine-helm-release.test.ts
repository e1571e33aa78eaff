/**
 * Helm's release record as Helm stores it (engine/helm/release.ts) and the field-ownership move of adoption
 * (engine/apply/adopt.ts). The records Helm itself writes are read in test/e2e/helm-adopt.test.ts; here, the encoding
 * rules and the edge cases a real Helm seldom produces.
 */
import { gzipSync } from "node:zlib";
import t from "tap";
import { inNamespace, type ManagedFieldsEntry, takeOverFields, unionFields } from "../../engine/apply/adopt.ts";
import { decodeRelease, manifestObjects, mergeValues } from "../../engine/helm/release.ts";

const secretOf = (payload: Buffer) => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name: "sh.helm.release.v1.r.v1" },
  data: { release: Buffer.from(payload.toString("base64")).toString("base64") },
});

t.test("a release record: base64 of gzip JSON, or of plain JSON, inside the Secret's base64", async (t) => {
  const record = { name: "r", version: 3, info: { status: "deployed" } };
  t.same(decodeRelease(secretOf(gzipSync(JSON.stringify(record)))), record);
  t.same(decodeRelease(secretOf(Buffer.from(JSON.stringify(record)))), record);
  t.throws(() => decodeRelease({ apiVersion: "v1", kind: "Secret", metadata: { name: "x" } }), /no key release/);
  t.throws(() => decodeRelease(secretOf(Buffer.from("not json"))), SyntaxError);
});

t.test("the manifest's objects: documents that are objects, nothing else", async (t) => {
  const objects = manifestObjects("---\n# Source: x\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n---\n- a list\n---\nkind: Odd\n");
  t.same(
    objects.map((o) => o.metadata.name),
    ["s"],
  );
  t.same(manifestObjects(""), []);
});

t.test("values merged as Helm does: maps key by key, lists and scalars replaced, null deletes", async (t) => {
  const defaults = { a: { b: 1, c: [1, 2], d: "x" }, e: true, f: { g: 1 } };
  const user = { a: { c: [3], d: null }, e: false, f: "flat", h: { i: 2 } };
  t.same(mergeValues(defaults, user), { a: { b: 1, c: [3] }, e: false, f: "flat", h: { i: 2 } });
  t.same(defaults.a, { b: 1, c: [1, 2], d: "x" }, "the defaults are not changed");
});

t.test("an object in the given namespace unless it names one", async (t) => {
  const o = { apiVersion: "v1", kind: "Service", metadata: { name: "s" } };
  t.equal(inNamespace(o, "ns").metadata.namespace, "ns");
  t.equal(inNamespace({ ...o, metadata: { name: "s", namespace: "other" } }, "ns").metadata.namespace, "other");
  t.notOk("namespace" in o.metadata, "the object itself is not changed");
});

t.test("FieldsV1 sets unite key by key", async (t) => {
  t.same(unionFields({ "f:metadata": { "f:labels": { "f:a": {} } } }, { "f:metadata": { "f:labels": { "f:b": {} } }, "f:spec": { ".": {} } }), {
    "f:metadata": { "f:labels": { "f:a": {}, "f:b": {} } },
    "f:spec": { ".": {} },
  });
});

t.test("Helm's entries become chroma-mod's Apply entry, per apiVersion; status and other managers stay", async (t) => {
  const now = "2026-12-07T00:00:00Z";
  const entries: ManagedFieldsEntry[] = [
    { manager: "helm", operation: "Update", apiVersion: "apps/v1", time: "t0", fieldsType: "FieldsV1", fieldsV1: { "f:spec": { "f:replicas": {} } } },
    { manager: "helm", operation: "Apply", apiVersion: "apps/v1", time: "t1", fieldsType: "FieldsV1", fieldsV1: { "f:metadata": { "f:labels": {} } } },
    { manager: "chroma-mod", operation: "Apply", apiVersion: "apps/v1", time: "t2", fieldsType: "FieldsV1", fieldsV1: { "f:spec": { "f:template": {} } } },
    { manager: "helm", operation: "Update", apiVersion: "apps/v1beta1", time: "t3", fieldsType: "FieldsV1" },
    { manager: "kube-controller-manager", operation: "Update", apiVersion: "apps/v1", subresource: "status", fieldsV1: { "f:status": {} } },
    { manager: "helm", operation: "Update", apiVersion: "apps/v1", subresource: "status", fieldsV1: { "f:status": { "f:x": {} } } },
    { manager: "kubectl-edit", operation: "Update", apiVersion: "apps/v1", fieldsV1: { "f:spec": { "f:paused": {} } } },
  ];
  t.same(takeOverFields(entries, ["helm"], "chroma-mod", now), [
    entries[4],
    entries[5],
    entries[6],
    {
      manager: "chroma-mod",
      operation: "Apply",
      apiVersion: "apps/v1",
      time: now,
      fieldsType: "FieldsV1",
      fieldsV1: { "f:spec": { "f:replicas": {}, "f:template": {} }, "f:metadata": { "f:labels": {} } },
    },
    { manager: "chroma-mod", operation: "Apply", apiVersion: "apps/v1beta1", time: now, fieldsType: "FieldsV1", fieldsV1: {} },
  ]);
  t.equal(takeOverFields([entries[2]!, entries[4]!], ["helm"], "chroma-mod", now), undefined, "nothing of Helm's: nothing to write");
});
