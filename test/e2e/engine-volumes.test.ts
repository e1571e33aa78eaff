/**
 * Growing a StatefulSet's volumes on the real control plane: the live claims are expanded (where their StorageClass
 * allows it) and the StatefulSet re-created with orphan propagation, keeping its pods; shrinking is refused; diff and
 * status show a claim whose size differs from the bundle's. A test-made StorageClass allows expansion.
 */
import t from "tap";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apply, ApplyError, diff, diffExitCode, ImmutableFieldError, status } from "../../engine/apply/index.ts";
import type { KubeObject } from "../../core/types.ts";
import { createNamespace, instance, liveObject, setup, statefulSet } from "./fixtures/helpers.ts";

const e = await setup("e2e-grow");
const ns = createNamespace(e, "grow");
const tag = randomBytes(3).toString("hex");
const expandable = `e2e-expandable-${tag}`;
const dir = mkdtempSync(join(tmpdir(), "e2e-grow-"));
const pvs: string[] = [];
t.teardown(() => {
  e.kubectl(["delete", "namespace", ns, "--wait=false"]);
  for (const pv of pvs) e.kubectl(["delete", "pv", pv, "--wait=false"]);
  e.kubectl(["delete", "storageclass", expandable, "--wait=false"]);
  e.client.close();
});

const kubectlApply = (obj: object) => {
  const r = e.kubectl(["apply", "--server-side", "--field-manager=e2e-setup", "-f", "-"], { input: JSON.stringify(obj) });
  if (r.code !== 0) throw new Error(r.stderr);
};
kubectlApply({
  apiVersion: "storage.k8s.io/v1",
  kind: "StorageClass",
  metadata: { name: expandable },
  provisioner: "kubernetes.io/no-provisioner",
  volumeBindingMode: "Immediate",
  allowVolumeExpansion: true,
});

/** A PersistentVolume reserved for one claim (claimRef), so that no other test's claim takes it. */
function volume(claim: string, storageClassName: string): void {
  const name = `e2e-grow-${tag}-${claim}`;
  pvs.push(name);
  kubectlApply({
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name },
    spec: {
      capacity: { storage: "5Gi" },
      accessModes: ["ReadWriteOnce"],
      storageClassName,
      persistentVolumeReclaimPolicy: "Retain",
      claimRef: { namespace: ns, name: claim },
      hostPath: { path: join(dir, claim), type: "DirectoryOrCreate" },
    },
  });
}

/** helpers.statefulSet with its `data` template asking `size` of `storageClassName` (undefined: the default class). */
function sts(name: string, size: string, storageClassName?: string, serviceName?: string): KubeObject {
  const o = statefulSet(name);
  const spec = o.spec as {
    serviceName: string;
    volumeClaimTemplates: Array<{ spec: Record<string, unknown> & { resources: { requests: { storage: string } } } }>;
  };
  const template = spec.volumeClaimTemplates[0]!;
  template.spec.resources.requests.storage = size;
  if (storageClassName !== undefined) template.spec.storageClassName = storageClassName;
  if (serviceName) spec.serviceName = serviceName;
  return o;
}

async function bound(claim: string): Promise<KubeObject> {
  for (let i = 0; i < 300; i++) {
    const pvc = liveObject(e, ["-n", ns, "pvc", claim]);
    if ((pvc?.status as { phase?: string } | undefined)?.phase === "Bound") return pvc!;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${claim} never got Bound`);
}

const request = (claim: string) =>
  (liveObject(e, ["-n", ns, "pvc", claim])!.spec as { resources: { requests: { storage: string } } }).resources.requests.storage;
const templateSize = (name: string) =>
  (liveObject(e, ["-n", ns, "statefulset", name])!.spec as { volumeClaimTemplates: Array<{ spec: { resources: { requests: { storage: string } } } }> })
    .volumeClaimTemplates[0]!.spec.resources.requests.storage;
const lines = (changes: ReadonlyArray<{ action: string; object: string }>) => changes.map((c) => `${c.action} ${c.object}`);
const base = { client: e.client, timeoutMs: 60_000 };

t.test("a grown template expands the claims and re-creates the StatefulSet, keeping pods and volumes; no --force", async (t) => {
  volume("data-db-0", expandable);
  await apply([instance("grow", ns, [sts("db", "1Gi", expandable)])], base);
  await bound("data-db-0");
  const uid = (await e.client.get({ apiVersion: "apps/v1", kind: "StatefulSet", name: "db", namespace: ns }))!.metadata.uid;

  const [d] = await diff([instance("grow", ns, [sts("db", "2Gi", expandable)])], base);
  t.same(lines(d!.changes), [`configured PersistentVolumeClaim/${ns}/data-db-0`, `configured StatefulSet/${ns}/db`]);
  t.equal(d!.changes[0]!.reason, `expand 1Gi → 2Gi (volume claim template "data" of StatefulSet db)`);
  t.match(d!.changes[0]!.diff, /-\s+storage: 1Gi\n\+\s+storage: 2Gi/);
  t.match(d!.changes[1]!.reason, /^re-created with orphan propagation \(pods and volumes kept\) to grow volume claim template "data" to 2Gi/);
  t.match(d!.changes[1]!.diff, /-\s+storage: 1Gi\n\+\s+storage: 2Gi/);
  t.equal(request("data-db-0"), "1Gi", "diff changed nothing");

  const events: string[] = [];
  const [r] = await apply([instance("grow", ns, [sts("db", "2Gi", expandable)])], {
    ...base,
    onEvent: (ev) => events.push(`${ev.phase} ${ev.object ?? ""} ${ev.message}`),
  });
  t.same(lines(r!.changes), [`configured PersistentVolumeClaim/${ns}/data-db-0`, `created StatefulSet/${ns}/db`]);
  t.match(r!.changes[1]!.reason, /^re-created with orphan propagation/);
  t.ok(
    events.findIndex((x) => x.includes("data-db-0")) < events.findIndex((x) => x.includes("orphan propagation")),
    "the claim grows before the StatefulSet is re-created",
  );
  t.equal(request("data-db-0"), "2Gi", "the live claim asks the new size");
  t.equal(templateSize("db"), "2Gi");
  t.not((await e.client.get({ apiVersion: "apps/v1", kind: "StatefulSet", name: "db", namespace: ns }))!.metadata.uid, uid, "re-created");
  t.equal(diffExitCode(await diff([instance("grow", ns, [sts("db", "2Gi", expandable)])], base)), 0, "then: no changes");

  const st = await status({ name: "grow", namespace: ns }, { ...base, desired: [sts("db", "2Gi", expandable)] });
  t.match(
    st.objects.find((o) => o.object === `PersistentVolumeClaim/${ns}/data-db-0`),
    { status: "Current", message: "Bound, 2Gi" },
  );
  const ahead = await status({ name: "grow", namespace: ns }, { ...base, desired: [sts("db", "3Gi", expandable)] });
  t.match(
    ahead.objects.find((o) => o.object === `PersistentVolumeClaim/${ns}/data-db-0`),
    { status: "InProgress", message: "requests 2Gi, the bundle asks 3Gi: apply expands it" },
  );
  const behind = await status({ name: "grow", namespace: ns }, { ...base, desired: [sts("db", "1Gi", expandable)] });
  t.match(
    behind.objects.find((o) => o.object === `PersistentVolumeClaim/${ns}/data-db-0`),
    { message: "requests 2Gi, the bundle asks 1Gi: volumes never shrink" },
  );
  const live = await status({ name: "grow", namespace: ns }, base);
  t.match(
    live.objects.find((o) => o.object === `PersistentVolumeClaim/${ns}/data-db-0`),
    { status: "Current" },
    "without the bundle: the live template",
  );

  // Shrinking is refused with the reason, by apply and in diff.
  const shrink = (await apply([instance("grow", ns, [sts("db", "1Gi", expandable)])], base).catch((x: unknown) => x)) as ApplyError;
  t.type(shrink, ApplyError);
  t.match(
    shrink.message,
    `Cannot shrink the volume claim template "data" of StatefulSet "db" in namespace "${ns}" from 2Gi to 1Gi: Kubernetes volumes only grow`,
  );
  t.match(shrink.hint, "Keep the size at 2Gi or more");
  const [ds] = await diff([instance("grow", ns, [sts("db", "1Gi", expandable)])], base);
  t.same(
    ds!.changes.map((c) => c.reason?.slice(0, 40)),
    [`apply will refuse: Cannot shrink Persist`, `apply will refuse: Cannot shrink the vol`],
  );
  t.equal(request("data-db-0"), "2Gi");

  // Another immutable field changes too: still --force, which then grows the claims as well.
  const both = () => [instance("grow", ns, [sts("db", "3Gi", expandable, "db-headless")])];
  await t.rejects(apply(both(), base), ImmutableFieldError);
  const [dboth] = await diff(both(), base);
  t.match(dboth!.changes[1], { object: `StatefulSet/${ns}/db`, reason: /apply will refuse without --force/ });
  const [forced] = await apply(both(), { ...base, force: true });
  t.same(lines(forced!.changes), [`configured PersistentVolumeClaim/${ns}/data-db-0`, `created StatefulSet/${ns}/db`]);
  t.equal(request("data-db-0"), "3Gi");

  // Volumes turned off (the template goes: --force); the claim stays, as it is.
  const bare = statefulSet("db");
  delete (bare.spec as { volumeClaimTemplates?: unknown }).volumeClaimTemplates;
  (bare.spec as { template: { spec: Record<string, unknown> } }).template.spec.volumes = [{ name: "data", emptyDir: {} }];
  const before = await status({ name: "grow", namespace: ns }, { ...base, desired: [bare] });
  t.match(
    before.objects.find((o) => o.object === `PersistentVolumeClaim/${ns}/data-db-0`),
    { status: "Current", message: "Bound, 3Gi" },
    "a claim the bundle no longer templates: as it is",
  );
  const [off] = await apply([instance("grow", ns, [bare])], { ...base, force: true });
  t.same(lines(off!.changes), [`created StatefulSet/${ns}/db`]);
  t.equal(request("data-db-0"), "3Gi", "the claim is kept");
  const after = await status({ name: "grow", namespace: ns }, { ...base, desired: [bare] });
  t.notOk(
    after.objects.some((o) => o.object.includes("PersistentVolumeClaim")),
    "a StatefulSet without templates owns no claims",
  );
});

t.test("claims of a StatefulSet deleted with orphan propagation: a new StatefulSet grows them too", async (t) => {
  volume("data-again-0", expandable);
  await apply([instance("again", ns, [sts("again", "1Gi", expandable)])], base);
  await bound("data-again-0");
  t.equal(e.kubectl(["-n", ns, "delete", "statefulset", "again", "--cascade=orphan"]).code, 0);
  const [d] = await diff([instance("again", ns, [sts("again", "2Gi", expandable)])], base);
  t.same(lines(d!.changes), [`configured PersistentVolumeClaim/${ns}/data-again-0`, `created StatefulSet/${ns}/again`]);
  await apply([instance("again", ns, [sts("again", "2Gi", expandable)])], base);
  t.equal(request("data-again-0"), "2Gi");
});

t.test("a StorageClass that does not allow expansion, or none: a clear refusal naming it", async (t) => {
  volume("data-plain-0", "standard");
  await apply([instance("plain", ns, [sts("plain", "1Gi")])], base);
  const pvc = await bound("data-plain-0");
  t.equal((pvc.spec as { storageClassName: string }).storageClassName, "standard");
  const err = (await apply([instance("plain", ns, [sts("plain", "2Gi")])], base).catch((x: unknown) => x)) as ApplyError;
  t.type(err, ApplyError);
  t.equal(
    err.message,
    `Cannot grow PersistentVolumeClaim "data-plain-0" in namespace "${ns}" from 1Gi to 2Gi: its StorageClass "standard" does not allow volume expansion (allowVolumeExpansion is not true).`,
  );
  t.match(err.hint, `have a cluster administrator set allowVolumeExpansion: true on StorageClass "standard"`);
  const [d] = await diff([instance("plain", ns, [sts("plain", "2Gi")])], base);
  t.match(d!.changes[0], { object: `PersistentVolumeClaim/${ns}/data-plain-0`, reason: /^apply will refuse: Cannot grow/ });
  t.equal(request("data-plain-0"), "1Gi", "nothing was changed");

  volume("data-bare-0", "");
  await apply([instance("bare", ns, [sts("bare", "1Gi", "")])], base);
  await bound("data-bare-0");
  const bare = (await apply([instance("bare", ns, [sts("bare", "2Gi", "")])], base).catch((x: unknown) => x)) as ApplyError;
  t.match(bare.message, "from 1Gi to 2Gi: it has no StorageClass, so it cannot be expanded.");
  t.match(bare.hint, "a StorageClass that allows expansion");
});
