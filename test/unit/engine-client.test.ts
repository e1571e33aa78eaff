/**
 * Client behaviour that needs no Kubernetes semantics: kubeconfig loading and the retry loop. The retry test
 * talks to a real local HTTP server that fails on purpose (the e2e tests use the real control plane).
 */
import t from "tap";
import * as http from "node:http";
import * as https from "node:https";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { KubeClient, splitApiVersion } from "../../engine/kube/client.ts";
import { defaultKubeconfigPaths } from "../../engine/kube/kubeconfig.ts";
import { backoffDelay, isRetryableStatus, keepAlive } from "../../engine/kube/transport.ts";
import { ClusterUnreachableError, KubeconfigError } from "../../engine/kube/errors.ts";

const dir = mkdtempSync(join(tmpdir(), "engine-client-"));

function kubeconfig(server: string, extra: { skipTLS?: boolean; namespace?: string; name?: string } = {}): string {
  const file = join(dir, `${extra.name ?? "kc"}.yaml`);
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: ${server}
${extra.skipTLS === false ? "" : "    insecure-skip-tls-verify: true\n"}users:
- name: u
  user:
    token: secret-token
contexts:
- name: one
  context: {cluster: c, user: u${extra.namespace ? `, namespace: ${extra.namespace}` : ""}}
- name: broken
  context: {cluster: missing, user: u}
current-context: one
`,
  );
  return file;
}

/** Puts $KUBECONFIG back as it was when test `t` ends. */
function restoreKubeconfigEnv(t: { teardown: (fn: () => void) => void }): void {
  const old = process.env.KUBECONFIG;
  t.teardown(() => {
    if (old === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = old;
  });
}

t.test("pure helpers", async (t) => {
  t.same(splitApiVersion("v1"), { group: "", version: "v1" });
  t.same(splitApiVersion("apps/v1"), { group: "apps", version: "v1" });
  const p = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
  t.equal(backoffDelay(p, 0), 100);
  t.equal(backoffDelay(p, 2), 400);
  t.equal(backoffDelay(p, 10), 1000);
  t.equal(backoffDelay(p, 0, "0.5"), 500);
  t.equal(backoffDelay(p, 0, "60"), 1000);
  t.equal(backoffDelay(p, 1, "soon"), 200);
  t.ok(isRetryableStatus(429));
  t.ok(isRetryableStatus(503));
  t.notOk(isRetryableStatus(501));
  t.notOk(isRetryableStatus(404));
  t.notOk(isRetryableStatus(500, '{"message":"failed to create typed patch object (x): .a: field not declared in schema"}'));
  t.same(defaultKubeconfigPaths({ KUBECONFIG: "/a::/b" }, "/h"), ["/a", "/b"]);
  t.same(defaultKubeconfigPaths({}, "/h"), ["/h/.kube/config"]);
});

t.test("kubeconfig loading errors", async (t) => {
  t.throws(() => KubeClient.load({ kubeconfig: join(dir, "nope.yaml") }), KubeconfigError);
  t.throws(() => KubeClient.load({ kubeconfig: join(dir, "nope.yaml") }), { message: /No kubeconfig found/ });
  const bad = join(dir, "bad.yaml");
  writeFileSync(bad, "clusters: [\n");
  t.throws(() => KubeClient.load({ kubeconfig: bad }), { name: "KubeconfigError", message: /Cannot read the kubeconfig/ });
  const kc = kubeconfig("https://127.0.0.1:1");
  t.throws(() => KubeClient.load({ kubeconfig: kc, context: "nope" }), { message: /no context "nope" \(contexts: one, broken\)/ });
  t.throws(() => KubeClient.load({ kubeconfig: kc, context: "broken" }), { message: /no usable context "broken"/ });
  const empty = join(dir, "empty.yaml");
  writeFileSync(empty, "apiVersion: v1\nkind: Config\n");
  t.throws(() => KubeClient.load({ kubeconfig: empty }), { message: /contexts: none/ });
  t.throws(() => KubeClient.load({ kubeconfig: empty, context: "x" }), { message: /contexts: none/ });
});

t.test("kubeconfig loading: defaults, KUBECONFIG merge, namespace", async (t) => {
  const a = kubeconfig("https://127.0.0.1:1", { namespace: "team", name: "a" });
  const b = join(dir, "b.yaml");
  writeFileSync(b, "apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\n");
  restoreKubeconfigEnv(t);
  process.env.KUBECONFIG = [a, b, join(dir, "missing")].join(delimiter);
  const c = KubeClient.load();
  t.equal(c.namespace, "team");
  t.equal(c.kubeconfigPath, [a, b].join(delimiter));
  t.equal(c.userName, "u");
  t.equal(KubeClient.load({ kubeconfig: a, namespace: "x" }).namespace, "x");
  t.equal(KubeClient.load({ kubeconfig: kubeconfig("https://127.0.0.1:1", { name: "nons" }) }).namespace, "default");
});

t.test("KUBECONFIG's files merge by kubectl's rules (the answers kubectl config view --merge gives)", async (t) => {
  const write = (name: string, body: string) => {
    const file = join(dir, name);
    writeFileSync(file, `apiVersion: v1\nkind: Config\n${body}`);
    return file;
  };
  // Both files name a cluster "shared", a user "u" and a context "same"; each also has entries of its own.
  const file = (tag: string) =>
    write(
      `${tag}.yaml`,
      `clusters:
- {name: c-${tag}, cluster: {server: "https://${tag}:1"}}
- {name: shared, cluster: {server: "https://shared-${tag}:1"}}
users:
- {name: u, user: {token: t-${tag}}}
- {name: u-${tag}, user: {token: t-${tag}}}
contexts:
- {name: ctx-${tag}, context: {cluster: c-${tag}, user: u-${tag}, namespace: ${tag}}}
- {name: same, context: {cluster: shared, user: u, namespace: ${tag}}}
current-context: ctx-${tag}
`,
    );
  const [first, second] = [file("first"), file("second")];
  const unset = write("unset.yaml", "clusters: []\nusers: []\ncontexts: []\n");
  const bad = write("bad-in-list.yaml", "clusters: [\n");
  restoreKubeconfigEnv(t);
  process.env.KUBECONFIG = [first, second].join(delimiter);
  t.match(KubeClient.load(), { contextName: "ctx-first", server: "https://first:1" }, "current-context: the first file that sets it");
  t.match(
    KubeClient.load({ context: "ctx-second" }),
    { server: "https://second:1", userName: "u-second", namespace: "second" },
    "a context from the second file",
  );
  const same = KubeClient.load({ context: "same" });
  t.match(same, { server: "https://shared-first:1", userName: "u", namespace: "first" }, "a name in both files: the first file's entry");
  t.equal(same.kubeConfig.getUser("u")?.token, "t-first");
  t.same(
    same.kubeConfig
      .getContexts()
      .map((x) => x.name)
      .sort(),
    ["ctx-first", "ctx-second", "same"],
    "each context once",
  );
  process.env.KUBECONFIG = [unset, second].join(delimiter);
  t.equal(KubeClient.load().contextName, "ctx-second", "a file that sets no current-context does not hide a later one");
  process.env.KUBECONFIG = [first, bad].join(delimiter);
  const err = t.throws(() => KubeClient.load(), { name: "KubeconfigError" }) as unknown as Error;
  t.match(err.message, new RegExp(`^Cannot read the kubeconfig ${bad}: `), "names the file that failed");
  t.notMatch(err.message, first);
});

t.test("credentials errors become KubeconfigError", async (t) => {
  const c = KubeClient.load({ kubeconfig: kubeconfig("http://127.0.0.1:1", { skipTLS: false, name: "plainhttp" }) });
  await t.rejects(c.raw({ method: "GET", path: "/version" }), { name: "KubeconfigError", message: /Cannot build credentials/ });
});

t.test("retries 429/5xx and connection resets, then gives up", async (t) => {
  let calls = 0;
  let mode: "flaky" | "always503" | "reset" = "flaky";
  const seen: Array<{ auth?: string; ua?: string; ct?: string; body: string }> = [];
  const server = http.createServer((req, res) => {
    calls++;
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ auth: req.headers.authorization, ua: req.headers["user-agent"], ct: req.headers["content-type"], body });
      if (mode === "reset" && calls === 1) return req.socket.destroy();
      if (mode === "always503" || (mode === "flaky" && calls === 1)) {
        res.writeHead(503, { "retry-after": "0" });
        return res.end("busy");
      }
      if (mode === "flaky" && calls === 2) {
        res.writeHead(429);
        return res.end("{}");
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const port = (server.address() as { port: number }).port;
  const c = KubeClient.load({
    kubeconfig: kubeconfig(`http://127.0.0.1:${port}/`, { name: "local" }),
    retry: { baseDelayMs: 1, attempts: 4 },
    userAgent: "ua/1",
  });
  const r = await c.raw({ method: "PATCH", path: "/x", query: { a: "1", b: undefined }, body: { k: 1 }, contentType: "application/apply-patch+yaml" });
  t.same(r, { status: 200, body: { ok: true } });
  t.equal(calls, 3);
  t.same(seen[2], { auth: "Bearer secret-token", ua: "ua/1", ct: "application/apply-patch+yaml", body: '{"k":1}' });
  calls = 0;
  mode = "always503";
  const gaveUp = await c.raw({ method: "GET", path: "/x" });
  t.same(gaveUp, { status: 503, body: "busy" });
  t.equal(calls, 4, "bounded attempts");
  calls = 0;
  mode = "reset";
  t.same((await c.raw({ method: "GET", path: "/x" })).status, 200);
  t.equal(calls, 2);
  mode = "always503";
  const failed = await c.request({ method: "GET", path: "/x" }, { what: "probe" }).catch((x: unknown) => x);
  t.match(failed, { name: "ApiError", status: 503, message: /for probe: busy/ });
  t.equal(c.counts.reads, 1);
  c.close();
  // Basic auth (user/password in the kubeconfig), a context whose user is missing, a custom field manager.
  mode = "flaky";
  calls = 2;
  const basic = join(dir, "basic.yaml");
  writeFileSync(
    basic,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}\nusers:\n- name: b\n  user: {username: alice, password: pw}\ncontexts:\n- name: b\n  context: {cluster: c, user: b}\n- name: ghost\n  context: {cluster: c, user: nobody}\ncurrent-context: b\n`,
  );
  const b = KubeClient.load({ kubeconfig: basic, fieldManager: "other" });
  t.equal(b.fieldManager, "other");
  t.equal((await b.raw({ method: "GET", path: "/x" })).status, 200);
  t.equal(seen.at(-1)?.auth, `Basic ${Buffer.from("alice:pw").toString("base64")}`);
  t.equal(KubeClient.load({ kubeconfig: basic, context: "ghost" }).userName, "(none)");
});

t.test("unreachable servers", async (t) => {
  const c = KubeClient.load({ kubeconfig: kubeconfig("https://127.0.0.1:1", { name: "refused" }), retry: { baseDelayMs: 1 } });
  const e = await c.raw({ method: "GET", path: "/version" }).catch((e: unknown) => e);
  t.type(e, ClusterUnreachableError);
  t.match((e as Error).message, /https:\/\/127\.0\.0\.1:1 \(context "one" from .*refused\.yaml\): ECONNREFUSED/);
  // A server that accepts and then never answers: the request times out; retried, then reported.
  const silent = http.createServer(() => {});
  await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
  t.teardown(() => {
    silent.closeAllConnections();
    silent.close();
  });
  const port = (silent.address() as { port: number }).port;
  const s = KubeClient.load({
    kubeconfig: kubeconfig(`http://127.0.0.1:${port}`, { name: "silent" }),
    retry: { baseDelayMs: 1, attempts: 1 },
    requestTimeoutMs: 50,
  });
  await t.rejects(s.raw({ method: "GET", path: "/" }), { name: "ClusterUnreachableError", message: /ETIMEDOUT/ });
});

t.test("one kept-alive connection serves a run's requests", async (t) => {
  const sockets = new Set<unknown>();
  const server = http.createServer((req, res) => {
    sockets.add(req.socket);
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"items":null}');
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const { port } = server.address() as { port: number };
  const client = KubeClient.load({ kubeconfig: kubeconfig(`http://127.0.0.1:${port}`, { name: "keepalive" }) });
  for (let i = 0; i < 5; i++) await client.raw({ method: "GET", path: "/api/v1/namespaces" });
  t.equal(sockets.size, 1, "5 requests, 1 connection");
  client.close();
});

t.test("keepAlive: the cluster's agent with keep-alive, a proxy's agent as it is", async (t) => {
  const tls = keepAlive(new https.Agent({ ca: "CA", servername: "kube" })) as https.Agent & { keepAlive: boolean; options: https.AgentOptions };
  t.ok(tls instanceof https.Agent);
  t.same([tls.keepAlive, tls.options.ca, tls.options.servername, tls.maxSockets], [true, "CA", "kube", 16]);
  const plain = keepAlive(new http.Agent()) as http.Agent & { keepAlive: boolean };
  t.same([plain.constructor, plain.keepAlive], [http.Agent, true]);
  class ProxyAgent extends http.Agent {}
  const proxy = new ProxyAgent();
  t.equal(keepAlive(proxy), proxy);
});
