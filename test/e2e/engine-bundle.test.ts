/**
 * A bundle on the real control plane: the namespaces it creates (once, before any instance), its identity on each
 * instance's inventory, and the instances that left it (removed as destroy does, data kept).
 */
import t from "tap";
import { randomBytes } from "node:crypto";
import { apply, ApplyError, diff, diffExitCode, FieldConflictError, NamespaceNotFoundError } from "../../engine/apply/index.ts";
import type { KubeObject, RenderedInstance } from "../../core/types.ts";
import { configMap, createNamespace, deployment, instance, liveObject, pvc, secret, setup } from "./fixtures/helpers.ts";

const e = await setup("e2e-bundle");
const base = { client: e.client, timeoutMs: 60_000 };
const namespaces: string[] = [];
t.teardown(() => {
  for (const ns of namespaces) e.kubectl(["delete", "namespace", ns, "--wait=false"]);
  e.client.close();
});
const fresh = (prefix: string) => {
  const ns = `${prefix}-${randomBytes(3).toString("hex")}`;
  namespaces.push(ns);
  return ns;
};
const inNs = (inst: RenderedInstance, createNs: boolean): RenderedInstance => ({ ...inst, createNamespace: createNs });
const lines = (changes: ReadonlyArray<{ action: string; object: string }>) => changes.map((c) => `${c.action} ${c.object}`);
const labels = (o: KubeObject | undefined) => o?.metadata.labels ?? {};

t.test("several instances in one new namespace: the bundle creates it once, first", async (t) => {
  const ns = fresh("shared");
  const bundle = { name: `b-${ns}`, complete: true };
  // Only one instance asks for it: the namespace belongs to the bundle, so every instance in it can use it.
  const set = () => [
    inNs(instance("a", ns, [configMap("a-cm", { v: "1" })]), true),
    inNs(instance("b", ns, [deployment("b-web")]), true),
    instance("c", ns, [configMap("c-cm", { v: "1" })]),
  ];
  const events: string[] = [];
  const [da, db, dc] = await diff(set(), { ...base, bundle });
  t.same(lines(da!.changes), [`created Namespace/${ns}`, `created ConfigMap/${ns}/a-cm`], "the Namespace shows once, with the first instance in it");
  t.match(da!.changes[0]!.diff, /^--- \/dev\/null\n\+\+\+ merged\/Namespace/);
  t.same(lines(db!.changes), [`created Deployment/${ns}/b-web`]);
  t.same(lines(dc!.changes), [`created ConfigMap/${ns}/c-cm`]);
  const results = await apply(set(), { ...base, bundle, onEvent: (ev) => events.push(`${ev.instance} ${ev.phase} ${ev.object ?? ""}`) });
  t.same(
    results.map((r) => lines(r.changes)),
    [[`created Namespace/${ns}`, `created ConfigMap/${ns}/a-cm`], [`created Deployment/${ns}/b-web`], [`created ConfigMap/${ns}/c-cm`]],
  );
  t.equal(
    events.findIndex((ev) => ev.includes("Namespace/")),
    events.findIndex((ev) => !ev.includes(" plan ")),
    "the namespace is the first write",
  );
  const live = liveObject(e, ["namespace", ns]);
  t.match(labels(live), { "app.kubernetes.io/managed-by": "chroma-mod", "pod-security.kubernetes.io/enforce": "restricted" });
  t.notOk(labels(live)["chroma-mod.io/instance"], "no instance owns it");
  t.equal(live?.metadata.annotations?.["chroma-mod.io/keep"], "true", "never pruned or deleted");
  for (const name of ["a", "b", "c"]) {
    const inv = liveObject(e, ["-n", ns, "secret", `chroma-mod.${name}`]);
    t.equal(labels(inv)["chroma-mod.io/bundle"], bundle.name, `the inventory of ${name} names the bundle`);
    t.notMatch(Buffer.from((inv!.data as { inventory: string }).inventory, "base64").toString(), /Namespace/, "the namespace is in no instance's inventory");
  }
  const again = await apply(set(), { ...base, bundle });
  t.ok(
    again.every((r) => r.changes.every((c) => c.action === "unchanged")),
    "a no-op",
  );
  t.same(
    again.map((r) => r.writes),
    [0, 0, 0],
  );
  t.equal(diffExitCode(await diff(set(), { ...base, bundle })), 0);
});

t.test("a missing namespace: the hint names the value to set", async (t) => {
  const ns = fresh("missing");
  const err = (await apply([instance("vectors", ns, [configMap("c", {})])], base).catch((x: unknown) => x)) as NamespaceNotFoundError;
  t.type(err, NamespaceNotFoundError);
  t.match(err.message, `Namespace "${ns}" does not exist, and the bundle does not create it (instance "vectors" lives in it).`);
  t.match(err.hint, "Set `vectors.createNamespace: true` in the bundle");
  t.notMatch(err.hint, /module/);
  // A namespace only an object (not the instance) lives in: the hint cannot name a value.
  const has = createNamespace(e, "has");
  namespaces.push(has);
  const other = (await diff([instance("x", has, [{ ...configMap("c", {}), metadata: { name: "c", namespace: ns } }])], base).catch(
    (x: unknown) => x,
  )) as NamespaceNotFoundError;
  t.type(other, NamespaceNotFoundError);
  t.equal(other.hint, `Create it first: kubectl create namespace ${ns}`);
});

t.test("a namespace whose labels another applier owns: diff says apply will fail, apply refuses", async (t) => {
  const ns = fresh("owned");
  const r = e.kubectl(["apply", "--server-side", "--field-manager=platform-team", "-f", "-"], {
    input: JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "pod-security.kubernetes.io/enforce": "baseline" } } }),
  });
  t.equal(r.code, 0, r.stderr);
  const set = [inNs(instance("p", ns, [configMap("c", {})]), true)];
  const [d] = await diff(set, base);
  t.match(d!.changes[0], { object: `Namespace/${ns}`, reason: /^apply will fail: Field-manager conflict .*platform-team/ });
  await t.rejects(apply(set, base), FieldConflictError);
  const [forced] = await apply(set, { ...base, forceConflicts: true });
  t.same(lines(forced!.changes), [`configured Namespace/${ns}`, `created ConfigMap/${ns}/c`]);
});

t.test("an instance that left the bundle is removed as delete does; --instance never removes", async (t) => {
  const ns = fresh("left");
  const bundle = { name: `left-${ns}`, complete: true };
  const keep = secret("kept-creds", { k: "v" }, { "chroma-mod.io/keep": "true" });
  const set = (...names: string[]) =>
    names.map((n) => inNs(instance(n, ns, [configMap(`${n}-cm`, { v: "1" }), ...(n === "gone" ? [pvc("gone-data"), keep] : [])]), true));
  await apply(set("stay", "gone"), { ...base, bundle });
  // Only some instances selected: the others are not removed.
  const partial = await apply(set("stay"), { ...base, bundle: { ...bundle, complete: false } });
  t.same(
    partial.map((r) => r.instance.name),
    ["stay"],
  );
  t.ok(liveObject(e, ["-n", ns, "configmap", "gone-cm"]));
  const events: string[] = [];
  const [dr, ds] = await diff(set("stay"), { ...base, bundle, onEvent: (ev) => events.push(`${ev.instance}: ${ev.message}`) });
  t.match(dr, { instance: { name: "gone", namespace: ns }, removed: true, changed: true });
  t.same(lines(dr!.changes), [`deleted ConfigMap/${ns}/gone-cm`, `skipped PersistentVolumeClaim/${ns}/gone-data`, `skipped Secret/${ns}/kept-creds`]);
  t.match(dr!.changes[0]!.diff, /^--- live\/ConfigMap\/\S+\/gone-cm\n\+\+\+ \/dev\/null/);
  t.notOk(ds!.changed);
  t.equal(diffExitCode([dr!, ds!]), 1, "diff shows it: exit 1");
  t.same(events, [
    `${ns}/gone: no longer in bundle "${bundle.name}": apply would delete it as \`chroma-mod delete\` does (PersistentVolumeClaims and credentials kept)`,
  ]);
  events.length = 0;
  const [removed, stayed] = await apply(set("stay"), { ...base, bundle, onEvent: (ev) => events.push(`${ev.instance} ${ev.phase}: ${ev.message}`) });
  t.match(events[0], `${ns}/gone plan: no longer in bundle "${bundle.name}": deleting it as \`chroma-mod delete\` does`, "said first");
  t.match(removed, { instance: { name: "gone" }, removed: true, changed: true, inventory: "kept" });
  t.same(lines(removed!.changes), [`deleted ConfigMap/${ns}/gone-cm`, `skipped PersistentVolumeClaim/${ns}/gone-data`, `skipped Secret/${ns}/kept-creds`]);
  t.ok(removed!.writes > 0);
  t.notOk(stayed!.changed);
  t.notOk(liveObject(e, ["-n", ns, "configmap", "gone-cm"]));
  t.ok(liveObject(e, ["-n", ns, "pvc", "gone-data"]), "the data stays");
  t.ok(liveObject(e, ["-n", ns, "secret", "kept-creds"]), "the credentials stay");
  const kept = liveObject(e, ["-n", ns, "secret", "chroma-mod.gone"]);
  t.notOk(labels(kept)["chroma-mod.io/bundle"], "the inventory of what was kept no longer names the bundle");
  const next = await apply(set("stay"), { ...base, bundle });
  t.same(
    next.map((r) => [r.instance.name, r.changed]),
    [["stay", false]],
    "removed once: the next apply converges",
  );
  t.equal(diffExitCode(await diff(set("stay"), { ...base, bundle })), 0);
  // Back in the bundle: the kept inventory and data are adopted again.
  const [back] = await apply(set("gone", "stay"), { ...base, bundle });
  t.same(lines(back!.changes), [
    `unchanged Namespace/${ns}`,
    `created ConfigMap/${ns}/gone-cm`,
    `unchanged PersistentVolumeClaim/${ns}/gone-data`,
    `unchanged Secret/${ns}/kept-creds`,
  ]);
  t.equal(labels(liveObject(e, ["-n", ns, "secret", "chroma-mod.gone"]))["chroma-mod.io/bundle"], bundle.name);
});

t.test("an instance held by another bundle is refused, unless taken over with forceConflicts", async (t) => {
  const ns = createNamespace(e, "two");
  namespaces.push(ns);
  const one = { name: `one-${ns}`, complete: true };
  const two = { name: `two-${ns}`, complete: true };
  await apply([instance("shared", ns, [configMap("s", {})])], { ...base, bundle: one });
  const err = (await apply([instance("shared", ns, [configMap("s", {})])], { ...base, bundle: two }).catch((x: unknown) => x)) as ApplyError;
  t.type(err, ApplyError);
  t.match(err.message, `Instance ${ns}/shared belongs to bundle "${one.name}" (its inventory Secret chroma-mod.shared says so), not to bundle "${two.name}"`);
  t.match(err.hint, "--force-conflicts");
  await t.rejects(diff([instance("shared", ns, [configMap("s", {})])], { ...base, bundle: two }), ApplyError);
  const [moved] = await apply([instance("shared", ns, [configMap("s", {})])], { ...base, bundle: two, forceConflicts: true });
  t.equal(moved!.inventory, "updated");
  t.equal(labels(liveObject(e, ["-n", ns, "secret", "chroma-mod.shared"]))["chroma-mod.io/bundle"], two.name);
  // Bundle one no longer holds it: applying bundle one without it removes nothing.
  t.same(await apply([instance("other", ns, [configMap("o", {})])], { ...base, bundle: one }).then((rs) => rs.map((r) => r.instance.name)), ["other"]);
  t.ok(liveObject(e, ["-n", ns, "configmap", "s"]));
  // Standalone apply (no bundle): the label is dropped.
  await apply([instance("shared", ns, [configMap("s", {})])], base);
  t.notOk(labels(liveObject(e, ["-n", ns, "secret", "chroma-mod.shared"]))["chroma-mod.io/bundle"]);
});
