/**
 * LiveReader's fallbacks when a list is refused (403: allowed to get, not to list) or not served (404: a CRD this run
 * just created): one GET per object. A local HTTP server answers as the API server would; the e2e tests cover the
 * lists themselves on the real control plane.
 */
import * as http from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { LiveReader } from "../../engine/apply/live.ts";
import { KubeClient } from "../../engine/kube/client.ts";
import { KindNotFoundError, KubeError } from "../../engine/kube/errors.ts";

type Answer = { status: number; body: unknown };

async function server(answer: (path: string, accept: string) => Answer): Promise<{ client: KubeClient; paths: string[] }> {
  const paths: string[] = [];
  const s = http.createServer((req, res) => {
    paths.push(`${req.url}${req.headers.accept?.includes("PartialObjectMetadataList") ? " (names)" : ""}`);
    const a = answer(req.url ?? "", req.headers.accept ?? "");
    res.writeHead(a.status, { "content-type": "application/json" });
    res.end(JSON.stringify(a.body));
  });
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  t.teardown(() => new Promise<void>((r) => s.close(() => r())));
  const file = join(mkdtempSync(join(tmpdir(), "engine-live-")), "kc.yaml");
  const { port } = s.address() as { port: number };
  writeFileSync(
    file,
    `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`,
  );
  const client = KubeClient.load({ kubeconfig: file, retry: { attempts: 1 } });
  t.teardown(() => client.close());
  return { client, paths };
}

const discovery: Answer = { status: 200, body: { resources: [{ name: "configmaps", kind: "ConfigMap", namespaced: true }] } };
const status = (code: number): Answer => ({ status: code, body: { kind: "Status", code, message: `${code}` } });
const cm = (name: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "n" } });
const ref = (name: string) => ({ apiVersion: "v1", kind: "ConfigMap", name, namespace: "n" });

t.test("a list refused (403) or not served (404): GETs", async (t) => {
  for (const refused of [403, 404]) {
    const { client, paths } = await server((path) => {
      if (path === "/api/v1") return discovery;
      if (path.startsWith("/api/v1/namespaces/n/configmaps?")) return status(refused);
      return path.endsWith("/a") ? { status: 200, body: cm("a") } : status(404);
    });
    const reader = new LiveReader(client);
    t.same((await reader.get(ref("a")))?.metadata.name, "a");
    t.equal(await reader.get(ref("b")), undefined);
    t.same(
      paths.filter((p) => p !== "/api/v1"),
      [
        "/api/v1/namespaces/n/configmaps?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dchroma-mod",
        "/api/v1/namespaces/n/configmaps/a",
        "/api/v1/namespaces/n/configmaps/b",
      ],
      `${refused}: the list once, then a GET per object`,
    );
  }
});

t.test("names refused: a GET; other list errors fail the run", async (t) => {
  const { client, paths } = await server((path, accept) => {
    if (path === "/api/v1") return discovery;
    if (accept.includes("PartialObjectMetadataList")) return status(403);
    if (path.startsWith("/api/v1/namespaces/n/configmaps?")) return { status: 200, body: { items: [] } };
    return status(404);
  });
  const reader = new LiveReader(client);
  t.equal(await reader.get(ref("a")), undefined);
  t.same(paths.slice(-2), ["/api/v1/namespaces/n/configmaps (names)", "/api/v1/namespaces/n/configmaps/a"]);
  const broken = await server((path) => (path === "/api/v1" ? discovery : status(400)));
  const failed = await new LiveReader(broken.client).get(ref("a")).catch((e: unknown) => e);
  t.type(failed, KubeError, "a 400 on the list fails the run");
});

t.test("cluster-scoped kinds are listed at cluster scope; an unknown kind is an error", async (t) => {
  const { client, paths } = await server((path) => {
    if (path === "/api/v1") return { status: 200, body: { resources: [{ name: "namespaces", kind: "Namespace", namespaced: false }] } };
    if (path.startsWith("/api/v1/namespaces?")) return { status: 200, body: { items: [{ metadata: { name: "x" } }] } };
    return status(404);
  });
  const reader = new LiveReader(client);
  t.same(await reader.get({ apiVersion: "v1", kind: "Namespace", name: "x" }), { apiVersion: "v1", kind: "Namespace", metadata: { name: "x" } });
  t.match(paths, ["/api/v1", "/api/v1/namespaces?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dchroma-mod"]);
  const missing = await reader.get({ apiVersion: "v1", kind: "Widget", name: "w" }).catch((e: unknown) => e);
  t.type(missing, KindNotFoundError);
});

t.test("diff of a custom resource whose CRD discovery lists but the server does not serve yet: deferred", async (t) => {
  const { client } = await server((path) => {
    if (path === "/apis/example.com/v1") return { status: 200, body: { resources: [{ name: "widgets", kind: "Widget", namespaced: true }] } };
    return status(404); // the list, the names, the GET, the dry-run: not served yet
  });
  const { plan, preflight } = await import("../../engine/apply/plan.ts");
  const { Run } = await import("../../engine/apply/run.ts");
  const run = new Run({ client }, { name: "i", namespace: "n" });
  const p = plan({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w", namespace: "n" } }, false, false);
  p.crdProvided = true;
  await preflight(run, p, { forceConflicts: false, pendingNamespaces: new Set(), collectRefusals: true });
  t.same([p.deferred, p.action], [true, "created"]);
  const other = plan({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "x", namespace: "n" } }, false, false);
  const failed = await preflight(run, other, { forceConflicts: false, pendingNamespaces: new Set(), collectRefusals: true }).catch((e: unknown) => e);
  t.type(failed, KubeError, "a kind no CRD of the set provides: the 404 is an error");
});
