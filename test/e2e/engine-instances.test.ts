/**
 * Several instances side by side, namespaces created by an instance, generated Secrets, and kubectl's view of
 * our ApplySet — on the real control plane.
 */
import t from "tap";
import bcrypt from "bcryptjs";
import { apply, destroy, diff } from "../../engine/apply/index.ts";
import { NamespaceNotFoundError } from "../../engine/kube/errors.ts";
import type { KubeObject } from "../../core/types.ts";
import { configMap, createNamespace, deployment, instance, liveObject, setup } from "./fixtures/helpers.ts";

const e = await setup("e2e-inst");
const nsA = createNamespace(e, "insta");
const nsB = createNamespace(e, "instb");
const base = { client: e.client, timeoutMs: 60_000 };
t.teardown(() => {
  for (const ns of [nsA, nsB]) e.kubectl(["delete", "namespace", ns, "--wait=false"]);
  e.client.close();
});

const decoded = (s: KubeObject | undefined) =>
  Object.fromEntries(Object.entries((s?.data ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]));

t.test("two instances in two namespaces never prune each other", async (t) => {
  const a = instance("app", nsA, [configMap("same", { v: "a" }), configMap("only-a", { v: "a" })]);
  const b = instance("app", nsB, [configMap("same", { v: "b" }), configMap("only-b", { v: "b" })]);
  const results = await apply([a, b], base);
  t.same(
    results.map((r) => r.changes.map((c) => c.action)),
    [
      ["created", "created"],
      ["created", "created"],
    ],
  );
  // Instance A drops everything but one object; a relabelled object is no longer A's to prune.
  const relabel = e.kubectl(["-n", nsA, "label", "configmap", "only-a", "chroma-mod.io/instance=someone-else", "--overwrite"]);
  t.equal(relabel.code, 0, relabel.stderr);
  const [d] = await diff([instance("app", nsA, [configMap("keep", { v: "a" })])], base);
  t.same(
    d!.changes.map((c) => `${c.action} ${c.object}`),
    [`created ConfigMap/${nsA}/keep`, `skipped ConfigMap/${nsA}/only-a`, `pruned ConfigMap/${nsA}/same`],
  );
  t.match(d!.changes[2]!.diff, /^--- live\/ConfigMap\/.*\/same\n\+\+\+ \/dev\/null\n/);
  const [r] = await apply([instance("app", nsA, [configMap("keep", { v: "a" })])], base);
  t.same(
    r!.changes.map((c) => `${c.action} ${c.object}`),
    [`created ConfigMap/${nsA}/keep`, `skipped ConfigMap/${nsA}/only-a`, `pruned ConfigMap/${nsA}/same`],
  );
  t.match(r!.changes[1]!.reason, /no longer carries the owner labels/);
  t.ok(liveObject(e, ["-n", nsA, "configmap", "only-a"]), "not ours any more: left alone");
  t.ok(liveObject(e, ["-n", nsB, "configmap", "same"]), "B's same-named object untouched");
  t.ok(liveObject(e, ["-n", nsB, "configmap", "only-b"]));
  const [again] = await apply([b], base);
  t.ok(again!.changes.every((c) => c.action === "unchanged"));
  // Pruning an object someone deleted by hand just drops it.
  e.kubectl(["-n", nsB, "delete", "configmap", "only-b"]);
  const [dg] = await diff([instance("app", nsB, [configMap("same", { v: "b" })])], base);
  t.same(
    dg!.changes.map((c) => c.action),
    ["unchanged"],
    "an object already gone is nothing to prune",
  );
  const [gone] = await apply([instance("app", nsB, [configMap("same", { v: "b" })])], base);
  t.same(
    gone!.changes.map((c) => `${c.action} ${c.object} ${c.reason ?? ""}`.trim()),
    [`pruned ConfigMap/${nsB}/only-b already gone`, `unchanged ConfigMap/${nsB}/same`],
  );
});

t.test("a namespace the instance does not create must exist", async (t) => {
  const missing = `missing-${Date.now().toString(36)}`;
  const err = await apply([instance("x", missing, [configMap("c", { a: "b" })])], base).catch((x: unknown) => x);
  t.type(err, NamespaceNotFoundError);
  t.match((err as Error).message, new RegExp(`Namespace "${missing}" does not exist`));
  await t.rejects(diff([instance("x", missing, [configMap("c", { a: "b" })])], base), NamespaceNotFoundError);
});

t.test("an instance that renders its Namespace: created first, diff before, destroyed with it", async (t) => {
  const ns = `own-${Date.now().toString(36)}`;
  const objs = () => [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "pod-security.kubernetes.io/enforce": "restricted" } } },
    configMap("c", { a: "b" }),
    deployment("web"),
  ];
  const kept = { ...configMap("precious", { a: "b" }), metadata: { name: "precious", annotations: { "chroma-mod.io/keep": "true" } } };
  const [d] = await diff([instance("own", ns, objs())], base);
  t.same(
    d!.changes.map((c) => `${c.action} ${c.object}`),
    [`created Namespace/${ns}`, `created ConfigMap/${ns}/c`, `created Deployment/${ns}/web`],
  );
  t.match(d!.changes[1]!.diff, /^--- \/dev\/null\n\+\+\+ merged\/ConfigMap/);
  const [r] = await apply([instance("own", ns, objs())], { ...base, wait: true });
  t.same(
    r!.changes.map((c) => c.action),
    ["created", "created", "created"],
  );
  t.equal(r!.inventory, "created");
  t.ok(r!.wait?.ready);
  // A keep-annotated object keeps its namespace (and the inventory) alive through destroy and prune.
  await apply([instance("own", ns, [...objs(), kept])], base);
  const [pr] = await apply([instance("own", ns, objs())], base);
  t.match(
    pr!.changes.find((c) => c.object.endsWith("/precious")),
    { action: "skipped", reason: /annotated chroma-mod.io\/keep/ },
  );
  const keep = await destroy({ name: "own", namespace: ns }, { ...base, wait: true });
  t.equal(keep.inventory, "kept");
  t.same(
    keep.changes.map((c) => `${c.action} ${c.object}`),
    [`deleted Deployment/${ns}/web`, `deleted ConfigMap/${ns}/c`, `skipped ConfigMap/${ns}/precious`, `skipped Namespace/${ns}`],
  );
  t.match(keep.changes[3]!.reason, /still holds objects/);
  const del = await destroy({ name: "own", namespace: ns }, { ...base, deleteData: true });
  t.equal(del.inventory, "deleted");
  t.same(
    del.changes.map((c) => `${c.action} ${c.object}`),
    [`deleted ConfigMap/${ns}/precious`, `deleted Namespace/${ns}`],
  );
});

t.test("generated Secrets: made once, missing keys added, never pruned, values never shown", async (t) => {
  const gen = {
    metadata: { name: "creds", namespace: nsA, annotations: { "chroma-mod.io/keep": "true" } },
    generate: {
      username: { value: "admin" },
      password: { random: { length: 20 } },
      htpasswd: { htpasswd: { usernameKey: "username", passwordKey: "password" } },
    },
  };
  const inst = () => instance("gen", nsA, [configMap("c", { a: "b" })], [gen]);
  const [d0] = await diff([inst()], base);
  const dd = d0!.changes.find((c) => c.object === `Secret/${nsA}/creds`);
  t.equal(dd?.action, "created");
  t.notMatch(dd?.diff, /admin|YWRtaW4/);
  const [r] = await apply([inst()], base);
  t.same(r!.changes.find((c) => c.object === `Secret/${nsA}/creds`)?.reason, "generated keys: username, password, htpasswd");
  const first = decoded(liveObject(e, ["-n", nsA, "secret", "creds"]));
  t.equal(first.username, "admin");
  t.match(first.password, /^[A-Za-z0-9]{20}$/);
  t.match(first.htpasswd, /^admin:\$2b\$10\$/);
  t.ok(bcrypt.compareSync(first.password as string, (first.htpasswd as string).slice(6)));
  const [again] = await apply([inst()], base);
  t.ok(
    again!.changes.every((c) => c.action === "unchanged"),
    "existing values are kept: no drift",
  );
  t.equal(again!.writes, 0);
  const rm = e.kubectl(["-n", nsA, "patch", "secret", "creds", "--type=json", "-p", '[{"op":"remove","path":"/data/htpasswd"}]']);
  t.equal(rm.code, 0, rm.stderr);
  const [fix] = await apply([inst()], base);
  const c = fix!.changes.find((x) => x.object === `Secret/${nsA}/creds`);
  t.equal(c?.action, "configured");
  t.equal(c?.reason, "generated keys added: htpasswd");
  const second = decoded(liveObject(e, ["-n", nsA, "secret", "creds"]));
  t.equal(second.password, first.password, "existing keys never change");
  t.ok(bcrypt.compareSync(second.password as string, (second.htpasswd as string).slice(6)));
  const [dropped] = await apply([instance("gen", nsA, [configMap("c", { a: "b" })])], base);
  t.match(
    dropped!.changes.find((x) => x.object === `Secret/${nsA}/creds`),
    { action: "skipped", reason: /generated Secret holds data/ },
  );
  const [dd2] = await diff([instance("gen", nsA, [configMap("c", { a: "b" })])], base);
  t.same(
    dd2!.changes.map((x) => x.action),
    ["unchanged", "skipped"],
  );
  const del = await destroy({ name: "gen", namespace: nsA }, base);
  t.equal(del.inventory, "kept");
  t.ok(liveObject(e, ["-n", nsA, "secret", "creds"]));
  t.equal((await destroy({ name: "gen", namespace: nsA }, { ...base, deleteData: true })).inventory, "deleted");
  t.notOk(liveObject(e, ["-n", nsA, "secret", "creds"]));
});

t.test("kubectl understands our ApplySet", async (t) => {
  const ns = nsB;
  const objs = [configMap("set-a", { v: "1" }), configMap("set-b", { v: "1" })];
  await apply([instance("kset", ns, objs)], { ...base, toolVersion: "1.0.0" });
  const manifest = (names: string[]) =>
    names.map((n) => JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: n, namespace: ns }, data: { v: "1" } })).join("\n---\n");
  const kubectlApply = (names: string[]) =>
    e.kubectl(["apply", "--server-side", "--prune", `--applyset=secret/chroma-mod.kset`, "-n", ns, "-f", "-"], {
      input: manifest(names),
      env: { KUBECTL_APPLYSET: "true" },
    });
  // kubectl finds the parent, reads its tooling annotation and, as the ApplySet spec requires, refuses to
  // mutate a set another tool manages.
  const refused = kubectlApply(["set-a", "set-b"]);
  t.not(refused.code, 0);
  t.match(refused.stderr, /managed by tooling "chroma-mod" instead of "kubectl"/);
  // Hand the set over to kubectl: it then accepts our id label, group-kinds annotation and members' part-of
  // labels as its own and prunes a member we applied.
  const hand = e.kubectl(["-n", ns, "annotate", "secret", "chroma-mod.kset", "applyset.kubernetes.io/tooling=kubectl/v1.37.2", "--overwrite"]);
  t.equal(hand.code, 0, hand.stderr);
  const ok = kubectlApply(["set-a"]);
  t.equal(ok.code, 0, ok.stderr);
  t.match(ok.stdout, /configmap\/set-b pruned/);
  t.notOk(liveObject(e, ["-n", ns, "configmap", "set-b"]));
  t.ok(liveObject(e, ["-n", ns, "configmap", "set-a"]));
});
