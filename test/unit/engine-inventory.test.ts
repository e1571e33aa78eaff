import t from "tap";
import { decodeInventory, inventoryName, inventorySecret, inventoryUpToDate, mergeEntries, refFromEntry } from "../../engine/apply/inventory.ts";

const inst = { name: "a", namespace: "ns" };
const entries = [
  { id: "ns_web_apps_Deployment", v: "apps/v1" },
  { id: "other_cfg__ConfigMap", v: "v1" },
  { id: "_system__r_rbac.authorization.k8s.io_ClusterRole", v: "rbac.authorization.k8s.io/v1" },
  { id: "ns_creds__Secret", v: "v1", generated: true as const },
];

t.test("refFromEntry", async (t) => {
  t.same(refFromEntry(entries[0]!), { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "ns" });
  t.same(refFromEntry(entries[2]!), { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", name: "system:r" });
});

t.test("mergeEntries unions by id, later wins, sorted", async (t) => {
  t.same(
    mergeEntries(
      [
        { id: "b", v: "v1" },
        { id: "a", v: "v1" },
      ],
      [{ id: "b", v: "v2" }],
    ),
    [
      { id: "a", v: "v1" },
      { id: "b", v: "v2" },
    ],
  );
});

t.test("inventory Secret is an ApplySet parent", async (t) => {
  const s = inventorySecret(inst, { module: "m/1", valuesDigest: "d", entries }, "1.2.3");
  t.equal(inventoryName(inst), "chroma-mod.a");
  t.equal(s.metadata.name, "chroma-mod.a");
  t.match(s.metadata.labels?.["applyset.kubernetes.io/id"], /^applyset-[A-Za-z0-9_-]{43}-v1$/);
  t.equal(s.metadata.annotations?.["applyset.kubernetes.io/tooling"], "chroma-mod/1.2.3");
  t.equal(s.metadata.annotations?.["applyset.kubernetes.io/contains-group-kinds"], "ClusterRole.rbac.authorization.k8s.io,ConfigMap,Deployment.apps,Secret");
  t.equal(s.metadata.annotations?.["applyset.kubernetes.io/additional-namespaces"], "other");
  t.same(decodeInventory(s), { module: "m/1", valuesDigest: "d", entries: mergeEntries(entries) });
  const single = inventorySecret(inst, { module: "m/1", valuesDigest: "d", entries: [entries[0]!] }, "1");
  t.notOk("applyset.kubernetes.io/additional-namespaces" in (single.metadata.annotations ?? {}));
});

t.test("decodeInventory tolerates junk", async (t) => {
  t.equal(decodeInventory(undefined), undefined);
  t.equal(decodeInventory({ apiVersion: "v1", kind: "Secret", metadata: { name: "x" } }), undefined);
  t.equal(decodeInventory({ apiVersion: "v1", kind: "Secret", metadata: { name: "x" }, data: { inventory: Buffer.from("{").toString("base64") } }), undefined);
  t.equal(decodeInventory({ apiVersion: "v1", kind: "Secret", metadata: { name: "x" }, data: { inventory: Buffer.from("{}").toString("base64") } }), undefined);
});

t.test("inventoryUpToDate", async (t) => {
  const d = inventorySecret(inst, { module: "m/1", valuesDigest: "d", entries }, "1");
  t.notOk(inventoryUpToDate(undefined, d));
  const live = structuredClone(d);
  live.metadata.labels = { ...live.metadata.labels, extra: "1" };
  live.metadata.annotations = { ...live.metadata.annotations, "other/thing": "x" };
  t.ok(inventoryUpToDate(live, d), "extra non-applyset metadata is fine");
  t.notOk(inventoryUpToDate({ ...live, metadata: { ...live.metadata, annotations: { ...live.metadata.annotations, "applyset.kubernetes.io/x": "y" } } }, d));
  t.notOk(inventoryUpToDate({ ...live, metadata: { ...live.metadata, labels: undefined, annotations: undefined } }, d));
  t.notOk(inventoryUpToDate({ ...live, type: "Opaque" }, d));
  t.notOk(inventoryUpToDate(live, inventorySecret(inst, { module: "m/2", valuesDigest: "d", entries }, "1")));
});

t.test("the inventory names its bundle; a different or missing bundle label is out of date", async (t) => {
  const inBundle = inventorySecret(inst, { module: "m/1", valuesDigest: "d", entries }, "1", "prod");
  t.equal(inBundle.metadata.labels?.["chroma-mod.io/bundle"], "prod");
  const alone = inventorySecret(inst, { module: "m/1", valuesDigest: "d", entries }, "1");
  t.notOk("chroma-mod.io/bundle" in (alone.metadata.labels ?? {}));
  t.ok(inventoryUpToDate(inBundle, inventorySecret(inst, { module: "m/1", valuesDigest: "d", entries }, "1", "prod")));
  t.notOk(inventoryUpToDate(inBundle, inventorySecret(inst, { module: "m/1", valuesDigest: "d", entries }, "1", "dev")), "moved to another bundle");
  t.notOk(inventoryUpToDate(inBundle, alone), "left the bundle: the label must go");
  t.notOk(inventoryUpToDate(alone, inBundle), "joined a bundle");
});
