/**
 * One instance through its life on the real control plane: create → no-op (zero writes in the audit log) →
 * hand edit → diff → repair → prune (PVC kept) → conflict → forceConflicts → immutable refusal → force →
 * status → destroy (PVC kept) → destroy with deleteData.
 */
import t from "tap";
import { apply, destroy, diff, diffExitCode, status, type EngineEvent } from "../../engine/apply/index.ts";
import { FieldConflictError, ImmutableFieldError } from "../../engine/kube/errors.ts";
import { applySetId } from "../../engine/apply/ids.ts";
import {
  auditFlushed,
  auditWrites,
  configMap,
  createNamespace,
  deployment,
  instance,
  liveObject,
  pvc,
  secret,
  service,
  setup,
  statefulSet,
} from "./fixtures/helpers.ts";

const e = await setup("e2e-life");
const ns = createNamespace(e, "life");
const events: EngineEvent[] = [];
const base = { client: e.client, toolVersion: "9.9.9", onEvent: (ev: EngineEvent) => events.push(ev), timeoutMs: 120_000, pollIntervalMs: 500 };
const objects = () => [
  configMap("cfg", { key: "value", other: "x" }),
  secret("token", { token: "s3cr3t" }),
  deployment("web"),
  statefulSet("db"),
  service("web"),
  pvc("scratch"),
];
t.teardown(() => {
  e.kubectl(["delete", "namespace", ns, "--wait=false"]);
  e.client.close();
});

t.test("create: every object created, labelled, inventoried, ready", async (t) => {
  const [r] = await apply([instance("life", ns, objects())], { ...base, wait: true });
  t.ok(r);
  t.same(
    r!.changes.map((c) => `${c.action} ${c.object}`),
    [
      `created ConfigMap/${ns}/cfg`,
      `created PersistentVolumeClaim/${ns}/scratch`,
      `created Secret/${ns}/token`,
      `created StatefulSet/${ns}/db`,
      `created Deployment/${ns}/web`,
      `created Service/${ns}/web`,
    ],
  );
  t.equal(r!.inventory, "created");
  t.ok(r!.changed);
  t.ok(r!.wait?.ready, JSON.stringify(r!.wait?.explanations));
  const dep = liveObject(e, ["-n", ns, "deployment", "web"]);
  t.match(dep?.metadata.labels, {
    "app.kubernetes.io/managed-by": "chroma-mod",
    "chroma-mod.io/instance": "life",
    "chroma-mod.io/instance-namespace": ns,
    "applyset.kubernetes.io/part-of": applySetId("chroma-mod.life", ns),
  });
  const inv = liveObject(e, ["-n", ns, "secret", "chroma-mod.life"]);
  t.equal(inv?.metadata.labels?.["applyset.kubernetes.io/id"], applySetId("chroma-mod.life", ns));
  t.equal(inv?.metadata.annotations?.["applyset.kubernetes.io/tooling"], "chroma-mod/9.9.9");
  t.equal(
    inv?.metadata.annotations?.["applyset.kubernetes.io/contains-group-kinds"],
    "ConfigMap,Deployment.apps,PersistentVolumeClaim,Secret,Service,StatefulSet.apps",
  );
  const body = JSON.parse(Buffer.from((inv!.data as Record<string, string>).inventory as string, "base64").toString());
  t.equal(body.module, "e2e-module/1.0.0");
  t.equal(body.valuesDigest, "sha256:life");
  t.same(
    body.entries.map((x: { id: string }) => x.id),
    [
      `${ns}_cfg__ConfigMap`,
      `${ns}_db_apps_StatefulSet`,
      `${ns}_scratch__PersistentVolumeClaim`,
      `${ns}_token__Secret`,
      `${ns}_web__Service`,
      `${ns}_web_apps_Deployment`,
    ],
  );
  t.ok(events.some((ev) => ev.phase === "wait"));
  const st = await status({ name: "life", namespace: ns }, { client: e.client });
  t.ok(st.found);
  t.equal(st.module, "e2e-module/1.0.0");
  t.ok(
    st.objects.every((o) => o.status === "Current"),
    JSON.stringify(st.objects),
  );
});

t.test("no-op apply sends zero writes (apiserver audit log)", async (t) => {
  const since = new Date();
  const [r] = await apply([instance("life", ns, objects())], { ...base, wait: true });
  t.ok(
    r!.changes.every((c) => c.action === "unchanged"),
    JSON.stringify(r!.changes),
  );
  t.equal(r!.inventory, "unchanged");
  t.equal(r!.writes, 0);
  t.notOk(r!.changed);
  // A sentinel write after the no-op proves the audit log is flushed up to that point.
  await e.client.apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "audit-sentinel", namespace: ns }, data: {} });
  await auditFlushed(e, "audit-sentinel", since);
  const writes = auditWrites(e, since).filter((a) => a.objectRef?.name !== "audit-sentinel");
  t.same(
    writes.map((a) => `${a.verb} ${a.requestURI}`),
    [],
  );
  const reads = auditWrites(e, new Date(0)).length;
  t.ok(reads > 6, "the audit log does record this user's writes (first apply)");
  e.kubectl(["-n", ns, "delete", "configmap", "audit-sentinel"]);
});

t.test("hand edit → diff shows exactly that drift → apply repairs it", async (t) => {
  const edit = e.kubectl(["-n", ns, "patch", "configmap", "cfg", "--type=merge", "-p", '{"data":{"key":"edited"}}']);
  t.equal(edit.code, 0, edit.stderr);
  const [d] = await diff([instance("life", ns, objects())], base);
  const changed = d!.changes.filter((c) => c.action !== "unchanged");
  t.same(
    changed.map((c) => c.object),
    [`ConfigMap/${ns}/cfg`],
  );
  t.equal(changed[0]!.action, "configured");
  t.match(changed[0]!.reason, /kubectl-patch/);
  t.match(changed[0]!.diff, /^--- live\/ConfigMap\/.*\/cfg\n\+\+\+ merged\/ConfigMap\/.*\/cfg\n@@ .* @@\n/);
  const lines = changed[0]!.diff.split("\n").filter((l) => /^[-+][^-+]/.test(l));
  t.same(lines, ["-  key: edited", "+  key: value"]);
  t.equal(diffExitCode([d!]), 1);
  const json = JSON.parse(JSON.stringify(d));
  t.equal(json.changed, true, "the result is plain JSON");
  const [r] = await apply([instance("life", ns, objects())], base);
  t.same(
    r!.changes.filter((c) => c.action !== "unchanged").map((c) => `${c.action} ${c.object}`),
    [`configured ConfigMap/${ns}/cfg`],
  );
  t.equal((liveObject(e, ["-n", ns, "configmap", "cfg"])!.data as Record<string, string>).key, "value");
  const [again] = await diff([instance("life", ns, objects())], base);
  t.equal(diffExitCode([again!]), 0);
});

t.test("diff masks Secret values", async (t) => {
  const changedObjects = objects().map((o) => (o.metadata.name === "token" ? secret("token", { token: "n3w", extra: "e" }) : o));
  const [d] = await diff([instance("life", ns, changedObjects)], base);
  const s = d!.changes.find((c) => c.object === `Secret/${ns}/token`);
  t.equal(s?.action, "configured");
  t.notMatch(s?.diff, /s3cr3t|n3w|czNjcjN0|bjN3/);
  t.match(s?.diff, /\n- {2}token: "\*\*\* \(before\)"\n\+ {2}extra: "\*\*\*"\n\+ {2}token: "\*\*\* \(after\)"\n/);
});

t.test("remove objects from the set: pruned, PVC kept", async (t) => {
  const fewer = objects().filter((o) => o.metadata.name !== "scratch" && o.kind !== "Service");
  const [r] = await apply([instance("life", ns, fewer)], base);
  const notSame = r!.changes.filter((c) => c.action !== "unchanged");
  t.same(
    notSame.map((c) => `${c.action} ${c.object}`),
    [`skipped PersistentVolumeClaim/${ns}/scratch`, `pruned Service/${ns}/web`],
  );
  t.match(notSame[0]!.reason, /kept: a PersistentVolumeClaim holds data/);
  t.ok(liveObject(e, ["-n", ns, "pvc", "scratch"]), "PVC still there");
  const inv = liveObject(e, ["-n", ns, "secret", "chroma-mod.life"]);
  const body = JSON.parse(Buffer.from((inv!.data as Record<string, string>).inventory as string, "base64").toString());
  t.ok(
    body.entries.some((x: { id: string }) => x.id === `${ns}_scratch__PersistentVolumeClaim`),
    "the kept PVC stays in the inventory",
  );
  t.notOk(body.entries.some((x: { id: string }) => x.id === `${ns}_web__Service`));
  const [d] = await diff([instance("life", ns, fewer)], base);
  t.same(
    d!.changes.filter((c) => c.action !== "unchanged").map((c) => c.action),
    ["skipped"],
  );
  t.equal(diffExitCode([d!]), 0);
});

t.test("another field manager owns a field: conflict, then forceConflicts", async (t) => {
  const fewer = objects().filter((o) => o.metadata.name !== "scratch" && o.kind !== "Service");
  const other = e.kubectl(["apply", "--server-side", "--force-conflicts", "--field-manager=other-tool", "-f", "-"], {
    input: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: ns }, data: { other: "theirs" } }),
  });
  t.equal(other.code, 0, other.stderr);
  const err = await apply([instance("life", ns, fewer)], base).catch((x: unknown) => x);
  t.type(err, FieldConflictError);
  t.same((err as FieldConflictError).managers, ["other-tool"]);
  t.match((err as Error).message, new RegExp(`ConfigMap "cfg" in namespace "${ns}".*\\.data\\.other.*"other-tool"`));
  t.match((err as FieldConflictError).hint, /--force-conflicts/);
  const [d] = await diff([instance("life", ns, fewer)], base);
  t.match(d!.changes.find((c) => c.object.endsWith("/cfg"))?.reason, /apply will fail: .*other-tool/);
  const [r] = await apply([instance("life", ns, fewer)], { ...base, forceConflicts: true });
  t.same(
    r!.changes.filter((c) => c.action === "configured").map((c) => c.object),
    [`ConfigMap/${ns}/cfg`],
  );
  t.equal((liveObject(e, ["-n", ns, "configmap", "cfg"])!.data as Record<string, string>).other, "x");
});

t.test("immutable field: refusal naming the field, then force re-creates (orphan, PVCs stay)", async (t) => {
  const bigger = objects()
    .filter((o) => o.metadata.name !== "scratch" && o.kind !== "Service")
    .map((o) => (o.kind === "StatefulSet" ? statefulSet("db", { parallel: true }) : o));
  const before = liveObject(e, ["-n", ns, "statefulset", "db"]);
  const err = await apply([instance("life", ns, bigger)], base).catch((x: unknown) => x);
  t.type(err, ImmutableFieldError);
  t.same((err as ImmutableFieldError).fields, ["spec.podManagementPolicy"]);
  t.match((err as Error).message, new RegExp(`StatefulSet "db" in namespace "${ns}": immutable field spec\\.podManagementPolicy would change`));
  t.match((err as ImmutableFieldError).hint, /--force.*orphan.*PersistentVolumeClaims stay/);
  t.equal(liveObject(e, ["-n", ns, "statefulset", "db"])?.metadata.uid, before?.metadata.uid, "nothing changed");
  const [d] = await diff([instance("life", ns, bigger)], base);
  t.match(d!.changes.find((c) => c.object.endsWith("/db"))?.reason, /immutable spec\.podManagementPolicy changed: apply will refuse without --force/);
  const [df] = await diff([instance("life", ns, bigger)], { ...base, force: true });
  t.match(df!.changes.find((c) => c.object.endsWith("/db"))?.reason, /will be deleted and re-created/);
  const pvcBefore = liveObject(e, ["-n", ns, "pvc", "data-db-0"]);
  t.ok(pvcBefore, "the StatefulSet's claim exists");
  const [r] = await apply([instance("life", ns, bigger)], { ...base, force: true, wait: true });
  const sts = r!.changes.find((c) => c.object.endsWith("/db"));
  t.equal(sts?.action, "created");
  t.match(sts?.reason, /re-created: immutable spec\.podManagementPolicy changed/);
  const after = liveObject(e, ["-n", ns, "statefulset", "db"]);
  t.not(after?.metadata.uid, before?.metadata.uid);
  t.equal((after!.spec as { podManagementPolicy: string }).podManagementPolicy, "Parallel");
  t.equal(liveObject(e, ["-n", ns, "pvc", "data-db-0"])?.metadata.uid, pvcBefore?.metadata.uid, "PVC data kept");
  t.ok(r!.wait?.ready, JSON.stringify(r!.wait?.explanations));
});

t.test("destroy keeps the PVC (and the inventory listing it); deleteData removes both", async (t) => {
  const r = await destroy({ name: "life", namespace: ns }, { ...base, wait: true });
  t.equal(r.inventory, "kept");
  t.same(
    r.changes.filter((c) => c.action === "skipped").map((c) => c.object),
    [`PersistentVolumeClaim/${ns}/scratch`],
  );
  t.same(
    r.changes
      .filter((c) => c.action === "deleted")
      .map((c) => c.object)
      .sort(),
    [`ConfigMap/${ns}/cfg`, `Deployment/${ns}/web`, `Secret/${ns}/token`, `StatefulSet/${ns}/db`].sort(),
  );
  t.notOk(liveObject(e, ["-n", ns, "deployment", "web"]));
  t.ok(liveObject(e, ["-n", ns, "pvc", "scratch"]));
  t.ok(liveObject(e, ["-n", ns, "secret", "chroma-mod.life"]));
  const st = await status({ name: "life", namespace: ns }, { client: e.client });
  t.same(
    st.objects.map((o) => o.object),
    [`PersistentVolumeClaim/${ns}/scratch`],
  );
  const r2 = await destroy({ name: "life", namespace: ns }, { ...base, deleteData: true, wait: true });
  t.equal(r2.inventory, "deleted");
  t.same(
    r2.changes.map((c) => `${c.action} ${c.object}`),
    [`deleted PersistentVolumeClaim/${ns}/scratch`],
  );
  t.notOk(liveObject(e, ["-n", ns, "secret", "chroma-mod.life"]));
  const r3 = await destroy({ name: "life", namespace: ns }, base);
  t.equal(r3.inventory, "absent");
  t.same((await status({ name: "life", namespace: ns }, { client: e.client })).found, false);
});
