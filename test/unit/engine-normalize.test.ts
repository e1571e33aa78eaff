import t from "tap";
import { deepEqual, hasDrifted, normalize } from "../../engine/apply/normalize.ts";
import { maskSecret, maskSecretPair } from "../../engine/apply/mask.ts";

const live = {
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "c", namespace: "n", uid: "u", resourceVersion: "7", managedFields: [{}], labels: { b: "2", a: "1" }, annotations: {} },
  data: { k: "v" },
  status: { x: 1 },
};

t.test("normalize keeps only declared metadata and drops status", async (t) => {
  t.same(normalize(live), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "n", labels: { a: "1", b: "2" } }, data: { k: "v" } });
  t.same(Object.keys(normalize(live).metadata.labels ?? {}), ["a", "b"]);
  t.same(normalize({ apiVersion: "v1", kind: "Namespace", metadata: { name: "n", labels: {}, annotations: { z: "1" } } }).metadata, {
    name: "n",
    annotations: { z: "1" },
  });
});

t.test("deepEqual", async (t) => {
  t.ok(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }));
  t.ok(deepEqual({ a: 1, b: 2 }, { b: 2, a: 1 }));
  t.notOk(deepEqual({ a: 1 }, { a: 2 }));
  t.notOk(deepEqual({ a: 1 }, { b: 1 }));
  t.notOk(deepEqual({ a: 1 }, { a: 1, b: 2 }));
  t.notOk(deepEqual([1], { 0: 1 }));
  t.notOk(deepEqual(null, {}));
  t.notOk(deepEqual(1, "1"));
});

t.test("hasDrifted ignores server fields", async (t) => {
  t.notOk(hasDrifted(live, { ...live, metadata: { ...live.metadata, resourceVersion: "8", generation: 2 }, status: { y: 2 } }));
  t.ok(hasDrifted(live, { ...live, data: { k: "w" } }));
  t.ok(hasDrifted(live, { ...live, metadata: { ...live.metadata, labels: { a: "1" } } }));
});

t.test("Secret masking", async (t) => {
  const before = { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { same: "YQ==", changed: "Yg==", gone: "Yw==" } };
  const after = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "s" },
    data: { same: "YQ==", changed: "ZA==", added: "ZQ==" },
    stringData: { plain: "x" },
  };
  const [b, a] = maskSecretPair(before, after);
  t.same(b?.data, { same: "***", changed: "*** (before)", gone: "***" });
  t.same(a?.data, { same: "***", changed: "*** (after)", added: "***" });
  t.same(a?.stringData, { plain: "***" });
  t.equal(before.data.changed, "Yg==", "inputs untouched");
  t.same(maskSecretPair(undefined, after)[1]?.data, { same: "***", changed: "***", added: "***" });
  t.same(maskSecretPair(before, undefined)[0]?.data, { same: "***", changed: "***", gone: "***" });
  t.same(maskSecret(before).data, { same: "***", changed: "***", gone: "***" });
  const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { k: "v" } };
  t.equal(maskSecretPair(cm, cm)[0], cm, "other kinds pass through");
  t.same(maskSecretPair(undefined, undefined), [undefined, undefined]);
  const other = { apiVersion: "example.com/v1", kind: "Secret", metadata: { name: "x" }, data: { k: "v" } };
  t.equal(maskSecretPair(other, undefined)[0], other, "only core v1 Secrets");
});

t.test("isHandEdit: kubectl Update managers only", async (t) => {
  const { isHandEdit } = await import("../../engine/apply/normalize.ts");
  const live = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: "c",
      managedFields: [
        { manager: "kubectl-edit", operation: "Update" },
        { manager: "kubectl", operation: "Apply" },
        { manager: "before-first-apply", operation: "Update" },
        { manager: "helm", operation: "Update" },
      ],
    },
  };
  t.ok(isHandEdit(live, "kubectl-edit"));
  t.ok(isHandEdit(live, "before-first-apply"));
  t.notOk(isHandEdit(live, "kubectl"), "kubectl apply --server-side is another applier");
  t.notOk(isHandEdit(live, "helm"));
  t.notOk(isHandEdit(live, "absent"));
  t.notOk(isHandEdit({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } }, "kubectl-edit"));
});

t.test("prepareDesired turns Secret stringData into data", async (t) => {
  const { prepareDesired } = await import("../../engine/apply/normalize.ts");
  const s = { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { a: "YQ==", b: "Yg==" }, stringData: { b: "B", c: "C" } };
  t.same(prepareDesired(s), { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { a: "YQ==", b: "Qg==", c: "Qw==" } });
  t.same(prepareDesired({ apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, stringData: { c: "C" } }).data, { c: "Qw==" });
  const plain = { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: {} };
  t.equal(prepareDesired(plain), plain);
  const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, stringData: {} };
  t.equal(prepareDesired(cm), cm);
  const other = { apiVersion: "x/v1", kind: "Secret", metadata: { name: "c" }, stringData: {} };
  t.equal(prepareDesired(other), other);
});
