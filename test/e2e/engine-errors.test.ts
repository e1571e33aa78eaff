/** Error paths against the real control plane: credentials, reachability, RBAC, unknown kinds, invalid objects. */
import t from "tap";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apply, diff, status } from "../../engine/apply/index.ts";
import { KubeClient } from "../../engine/kube/client.ts";
import {
  ClusterUnreachableError,
  ForbiddenError,
  InvalidObjectError,
  KindNotFoundError,
  KubeconfigError,
  UnauthorizedError,
} from "../../engine/kube/errors.ts";
import { ApplyError } from "../../engine/apply/errors.ts";
import { ImmutableFieldError } from "../../engine/kube/errors.ts";
import { configMap, createNamespace, instance, liveObject, setup, userKubeconfig } from "./fixtures/helpers.ts";

const e = await setup("e2e-err");
const ns = createNamespace(e, "err");
const dir = mkdtempSync(join(tmpdir(), "e2e-err-"));
t.teardown(() => {
  e.kubectl(["delete", "namespace", ns, "--wait=false"]);
  e.client.close();
});
const inst = () => instance("err", ns, [configMap("c", { a: "b" })]);

t.test("bad kubeconfig", async (t) => {
  t.throws(() => KubeClient.load({ kubeconfig: join(dir, "none") }), KubeconfigError);
  t.throws(() => KubeClient.load({ kubeconfig: e.info.kubeconfig, context: "nope" }), { name: "KubeconfigError", message: /no context "nope"/ });
});

t.test("unreachable server names the URL and the kubeconfig", async (t) => {
  const file = join(dir, "unreachable.kubeconfig");
  writeFileSync(file, readFileSync(e.info.kubeconfig, "utf8").replace(/server: https:\/\/127\.0\.0\.1:\d+/, "server: https://127.0.0.1:1"));
  const client = KubeClient.load({ kubeconfig: file });
  const err = await apply([inst()], { client }).catch((x: unknown) => x);
  t.type(err, ClusterUnreachableError);
  t.match((err as Error).message, new RegExp(`https://127\\.0\\.0\\.1:1 .*${file.replace(/[.]/g, "\\.")}.*ECONNREFUSED`));
});

t.test("invalid credentials: 401", async (t) => {
  const file = join(dir, "badtoken.kubeconfig");
  const caLine = /certificate-authority(-data)?: .*/.exec(readFileSync(e.info.kubeconfig, "utf8"))![0];
  writeFileSync(
    file,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${e.info.server}\n    ${caLine}\nusers:\n- name: expired\n  user:\n    token: not-a-valid-token\ncontexts:\n- name: x\n  context: {cluster: c, user: expired}\ncurrent-context: x\n`,
  );
  const err = await apply([inst()], { client: KubeClient.load({ kubeconfig: file }) }).catch((x: unknown) => x);
  t.type(err, UnauthorizedError);
  t.match((err as Error).message, /user "expired".*401 Unauthorized/);
});

t.test("RBAC-forbidden user: verb, resource, namespace, user", async (t) => {
  const user = `nobody-${Date.now().toString(36)}`;
  const client = KubeClient.load({ kubeconfig: await userKubeconfig(user) });
  const err = await apply([inst()], { client }).catch((x: unknown) => x);
  t.type(err, ForbiddenError);
  t.match(err, { user, verb: "get", resource: "secrets", namespace: ns });
  t.match((err as Error).message, new RegExp(`user "${user}" may not get secrets in namespace "${ns}"`));
  const s = await status({ name: "err", namespace: ns }, { client }).catch((x: unknown) => x);
  t.type(s, ForbiddenError);
});

t.test("unknown kind: 404 from discovery", async (t) => {
  const widget = { apiVersion: "nothing.example.com/v1", kind: "Widget", metadata: { name: "w" } };
  const err = await apply([instance("err", ns, [widget])], { client: e.client }).catch((x: unknown) => x);
  t.type(err, KindNotFoundError);
  t.match((err as Error).message, /kind "Widget" in apiVersion "nothing.example.com\/v1" \(needed for Widget "w"\)/);
  await t.rejects(e.client.list("nothing.example.com/v1", "Widget", {}), { name: "KindNotFoundError", message: /\(needed for Widget\)/ });
  await t.rejects(e.client.get({ apiVersion: "nothing.example.com/v1", kind: "Widget", name: "w", namespace: ns }), { message: /\(needed for Widget "w"\)/ });
  const core = { apiVersion: "v1", kind: "Gadget", metadata: { name: "g" } };
  await t.rejects(apply([instance("err", ns, [core])], { client: e.client }), KindNotFoundError);
});

t.test("invalid objects: 422 causes, strict field validation", async (t) => {
  const bad = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "Bad_Name" }, data: {} };
  const err = await apply([instance("err", ns, [bad])], { client: e.client }).catch((x: unknown) => x);
  t.type(err, InvalidObjectError);
  t.match((err as Error).message, /metadata\.name: Invalid value: "Bad_Name"/);
  const unknown = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ok" }, dta: { a: "b" } };
  const err2 = await apply([instance("err", ns, [unknown])], { client: e.client }).catch((x: unknown) => x);
  t.type(err2, InvalidObjectError);
  t.match((err2 as Error).message, /dta/);
  await t.rejects(diff([instance("err", ns, [bad])], { client: e.client }), InvalidObjectError);
  const twice = await apply([instance("err", ns, [configMap("c", {}), configMap("c", {})])], { client: e.client }).catch((x: unknown) => x);
  t.type(twice, ApplyError);
  t.match((twice as Error).message, /renders ConfigMap "c" in namespace ".*" twice/);
});

t.test("PVC spec changes are refused even with force", async (t) => {
  const claim = (size: string) => ({
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: "p" },
    spec: { accessModes: ["ReadWriteOnce"], storageClassName: "none-such", resources: { requests: { storage: size } } },
  });
  await apply([instance("pvc", ns, [claim("1Gi")])], { client: e.client });
  const changed = { ...claim("1Gi"), spec: { ...claim("1Gi").spec, accessModes: ["ReadWriteMany"] } };
  const err = await apply([instance("pvc", ns, [changed])], { client: e.client, force: true }).catch((x: unknown) => x);
  t.type(err, ApplyError);
  t.match((err as Error).message, /never deletes a PersistentVolumeClaim/);
  t.ok(liveObject(e, ["-n", ns, "pvc", "p"]));
});

t.test("CRD and its custom resources in one set: staged, established before use", async (t) => {
  const group = `e2e${Date.now().toString(36)}.example.com`;
  const crd = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      scope: "Namespaced",
      names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList" },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", properties: { size: { type: "integer" } } } } } },
        },
      ],
    },
  };
  const widget = { apiVersion: `${group}/v1`, kind: "Widget", metadata: { name: "w" }, spec: { size: 3 } };
  const [d] = await diff([instance("crd", ns, [crd, widget])], { client: e.client });
  t.same(
    d!.changes.map((c) => `${c.action} ${c.object}`),
    [`created CustomResourceDefinition/widgets.${group}`, `created Widget/${ns}/w`],
  );
  const [r] = await apply([instance("crd", ns, [widget, crd])], { client: e.client });
  t.same(
    r!.changes.map((c) => `${c.action} ${c.stage} ${c.object}`),
    [`created crds CustomResourceDefinition/widgets.${group}`, `created rest Widget/${ns}/w`],
  );
  const [again] = await apply([instance("crd", ns, [widget, crd])], { client: e.client });
  t.same(
    again!.changes.map((c) => c.action),
    ["unchanged", "unchanged"],
  );
  // Remove both: the CR is pruned first, then the CRD.
  const [gone] = await apply([instance("crd", ns, [])], { client: e.client });
  t.same(
    gone!.changes.map((c) => `${c.action} ${c.object}`),
    [`pruned CustomResourceDefinition/widgets.${group}`, `pruned Widget/${ns}/w`],
  );
  const s = await status({ name: "crd", namespace: ns }, { client: e.client });
  t.same(s.objects, []);
  // Someone deletes the CRD by hand: its kind vanishes from discovery; status and prune cope.
  await apply([instance("crd2", ns, [crd, widget])], { client: e.client });
  const del = e.kubectl(["delete", "crd", `widgets.${group}`, "--wait=true"]);
  t.equal(del.code, 0, del.stderr);
  for (let i = 0; i < 100 && e.kubectl(["get", "--raw", `/apis/${group}/v1`]).code === 0; i++) await new Promise((r) => setTimeout(r, 100));
  const fresh = KubeClient.load({ kubeconfig: e.userKubeconfig });
  const s2 = await status({ name: "crd2", namespace: ns }, { client: fresh });
  t.same(
    s2.objects.map((o) => `${o.status} ${o.object}`),
    [`NotFound CustomResourceDefinition/widgets.${group}`, `NotFound Widget/${ns}/w`],
  );
  const [pr] = await apply([instance("crd2", ns, [])], { client: fresh });
  t.same(
    pr!.changes.map((c) => `${c.action} ${c.reason}`),
    ["pruned already gone", "pruned already gone"],
  );
  fresh.close();
});

t.test("forced re-create that cannot finish (a finalizer holds the object) is reported", async (t) => {
  const cm = (v: string) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "frozen", finalizers: ["e2e.chroma-mod.io/hold"] },
    immutable: true,
    data: { v },
  });
  await apply([instance("imm", ns, [cm("1")])], { client: e.client });
  const refused = await apply([instance("imm", ns, [cm("2")])], { client: e.client }).catch((x: unknown) => x);
  t.type(refused, ImmutableFieldError);
  t.match((refused as ImmutableFieldError).hint, /ConfigMap is deleted and re-created/);
  const err = await apply([instance("imm", ns, [cm("2")])], { client: e.client, force: true, timeoutMs: 1500 }).catch((x: unknown) => x);
  t.type(err, ApplyError);
  t.match((err as Error).message, /ConfigMap "frozen" in namespace ".*" was deleted to be re-created but is still there/);
  t.match((err as ApplyError).hint, /finalizers/);
  const release = e.kubectl(["-n", ns, "patch", "configmap", "frozen", "--type=json", "-p", '[{"op":"remove","path":"/metadata/finalizers"}]']);
  t.equal(release.code, 0, release.stderr);
});
