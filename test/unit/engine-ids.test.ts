import t from "tap";
import { createHash } from "node:crypto";
import { applySetId, displayName, groupKind, objectId } from "../../engine/apply/ids.ts";
import { holdsData, isOwnedBy, ownerLabels, ownerSelector } from "../../engine/apply/labels.ts";

t.test("objectId follows <ns>_<name>_<group>_<kind>", async (t) => {
  t.equal(objectId({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "demo" } }), "demo_web_apps_Deployment");
  t.equal(objectId({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "demo" } }), "demo_cfg__ConfigMap");
  t.equal(
    objectId({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "system:reader" } }),
    "_system__reader_rbac.authorization.k8s.io_ClusterRole",
  );
});

t.test("groupKind", async (t) => {
  t.equal(groupKind("v1", "Secret"), "Secret");
  t.equal(groupKind("apps/v1", "Deployment"), "Deployment.apps");
});

t.test("applySetId is kubectl's: applyset-<b64url(sha256(name.ns.Kind.group))>-v1", async (t) => {
  const expected =
    "applyset-" + createHash("sha256").update("chroma-mod.x.demo.Secret.").digest("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "") + "-v1";
  t.equal(applySetId("chroma-mod.x", "demo"), expected);
  t.notOk(applySetId("chroma-mod.x", "demo").includes("="));
  t.not(applySetId("a", "b", "ConfigMap"), applySetId("a", "b"));
});

t.test("displayName", async (t) => {
  t.equal(displayName({ kind: "Deployment", name: "web", namespace: "demo" }), "Deployment/demo/web");
  t.equal(displayName({ kind: "ClusterRole", name: "r" }), "ClusterRole/r");
});

t.test("owner labels", async (t) => {
  const inst = { name: "a", namespace: "ns" };
  t.same(ownerLabels(inst), { "app.kubernetes.io/managed-by": "chroma-mod", "chroma-mod.io/instance": "a", "chroma-mod.io/instance-namespace": "ns" });
  t.equal(ownerSelector(inst), "app.kubernetes.io/managed-by=chroma-mod,chroma-mod.io/instance=a,chroma-mod.io/instance-namespace=ns");
  const obj = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", labels: ownerLabels(inst) } };
  t.ok(isOwnedBy(obj, inst));
  t.notOk(isOwnedBy(obj, { name: "a", namespace: "other" }));
  t.notOk(isOwnedBy({ ...obj, metadata: { name: "c" } }, inst));
  t.ok(holdsData({ kind: "PersistentVolumeClaim", metadata: { name: "p" } }));
  t.ok(holdsData({ kind: "Secret", metadata: { name: "s", annotations: { "chroma-mod.io/keep": "true" } } }));
  t.notOk(holdsData({ kind: "Secret", metadata: { name: "s", annotations: { "chroma-mod.io/keep": "false" } } }));
  t.notOk(holdsData({ kind: "Secret", metadata: { name: "s" } }));
});
