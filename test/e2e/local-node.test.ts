/**
 * The embedded default runs Chroma for real: `apply --local` of the example bundles on the shared local cluster, whose
 * local node runs the rendered pods as processes (localcluster/node/). The official Python client of each version
 * creates, adds and queries through the printed loopback address with the generated credentials, and is refused
 * without them; a killed Chroma is restarted and a hung one (SIGSTOP) is restarted by its liveness probe, the data
 * still there; `delete` stops the processes and keeps the data, and `apply` serves it again; a pod whose image the
 * node cannot run stays Pending, and `apply --wait` says why.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { up } from "../../localcluster/cluster.ts";
import { authErrorPattern, pythonClient, requireVenv, type ClientAuth } from "../chroma/harness.ts";
import { cli } from "../fixtures/cli.ts";

const cluster = await up({ log: () => {} });
const run = Date.now().toString(36);

function kubectl(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(cluster.kubectl, args, { env: { ...process.env, KUBECONFIG: cluster.kubeconfig }, encoding: "utf8" });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function secret(ns: string, name: string, key: string): string {
  return Buffer.from(kubectl(["-n", ns, "get", "secret", name, "-o", `jsonpath={.data.${key}}`]).stdout, "base64").toString("utf8");
}

/** `<instance>: Chroma <v> ready at http://127.0.0.1:<port> (…)` lines → instance → port. */
function addresses(stdout: string, verb = "ready"): Map<string, number> {
  const re = new RegExp(`^(\\w+): Chroma \\d+\\.\\d+\\.\\d+ ${verb} at http://127\\.0\\.0\\.1:(\\d+)`, "gm");
  return new Map([...stdout.matchAll(re)].map((m) => [m[1]!, Number(m[2])]));
}

/** containerStatuses of the pod. */
function containers(ns: string, pod: string): { name: string; restartCount: number; ready: boolean; containerID?: string }[] {
  const r = kubectl(["-n", ns, "get", "pod", pod, "-o", "json"]);
  if (r.code !== 0) return [];
  return (JSON.parse(r.stdout) as { status: { containerStatuses?: [] } }).status.containerStatuses ?? [];
}

function nsOf(pid: string): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function client(version: string, port: number, steps: { name: string; op: "crud" | "write" | "read"; collection?: string; auth: ClientAuth }[]) {
  requireVenv(version);
  return pythonClient(version, port, steps);
}

const devToken = (): ClientAuth => ({ kind: "token", header: "Authorization", token: secret("chroma-dev", "dev-auth", "token") });
const kept = `kept_${run}`;
let devPort = 0;

t.test("apply --local of the dev bundle: Chroma 1.5.9 behind the token proxy, reachable on loopback", async (t) => {
  const applied = await cli(["apply", "bundles/dev.config.ts", "--local", "--timeout", "5m"]);
  t.equal(applied.code, 0, applied.stderr);
  t.match(
    applied.stdout,
    /^dev: Chroma 1\.5\.9 ready at http:\/\/127\.0\.0\.1:\d+ \(Authorization: Bearer <token>; token: kubectl -n chroma-dev get secret dev-auth -o jsonpath='\{\.data\.token\}' \| base64 -d\)$/m,
  );
  devPort = addresses(applied.stdout).get("dev")!;
  const results = await client("1.5.9", devPort, [
    { name: "crud", op: "crud", collection: `crud_${run}`, auth: devToken() },
    { name: "keep", op: "write", collection: kept, auth: devToken() },
    { name: "anonymous", op: "crud", collection: `anon_${run}`, auth: null },
  ]);
  t.match(results.get("crud"), { ok: true, result: { count: 3, nearest: ["a", "b"] } });
  t.match(results.get("keep"), { ok: true });
  t.match(results.get("anonymous"), { ok: false, error: authErrorPattern }, "no token: refused");
  const url = await cli(["local", "url", "bundles/dev.config.ts"]);
  t.equal(url.code, 0, url.stderr);
  t.equal(addresses(url.stdout, "answers").get("dev"), devPort, "local url prints the same address");
  const status = await cli(["status", "bundles/dev.config.ts", "--local"]);
  t.match(status.stdout, /Pod\/chroma-dev\/dev-0 +Current: Ready, restarts \d+/);
});

t.test("a killed Chroma is restarted; a hung one (SIGSTOP) is restarted by its liveness probe; the data stays", async (t) => {
  const chroma = () => containers("chroma-dev", "dev-0").find((c) => c.name === "chroma")!;
  const before = chroma().restartCount;
  const pid = Number(chroma().containerID!.replace("chroma-mod-local://", ""));
  process.kill(pid, "SIGKILL");
  await until("the chroma container restarted and ready", () => chroma().restartCount === before + 1 && chroma().ready, 120_000);
  t.match((await cli(["status", "bundles/dev.config.ts", "--local"])).stdout, new RegExp(`Pod/chroma-dev/dev-0 +Current: Ready, restarts ${before + 1}`));
  const read = (await client("1.5.9", devPort, [{ name: "read", op: "read", collection: kept, auth: devToken() }])).get("read");
  t.match(read, { ok: true, result: { exists: true, count: 3 } }, JSON.stringify(read));

  // Every process of the container (its own PID namespace) stopped: hung, not gone.
  const main = Number(chroma().containerID!.replace("chroma-mod-local://", ""));
  const init = readFileSync(`/proc/${main}/task/${main}/children`, "utf8").trim().split(/\s+/)[0]!;
  const pidns = readlinkSync(`/proc/${init}/ns/pid`);
  const members = readdirSync("/proc").filter((p) => /^\d+$/.test(p) && p !== String(main) && nsOf(p) === pidns);
  t.ok(members.length >= 2, `dumb-init and chroma: ${members.join(" ")}`);
  for (const p of members) process.kill(Number(p), "SIGSTOP");
  await until("the liveness probe restarted the hung chroma", () => chroma().restartCount === before + 2 && chroma().ready, 300_000);
  const events = kubectl(["-n", "chroma-dev", "get", "events", "--field-selector", "involvedObject.name=dev-0", "-o", "jsonpath={.items[*].message}"]).stdout;
  t.match(events, /failed liveness probe, will be restarted/);
  t.match((await client("1.5.9", devPort, [{ name: "read", op: "read", collection: kept, auth: devToken() }])).get("read"), {
    ok: true,
    result: { exists: true, count: 3 },
  });
});

t.test("delete stops the processes and keeps the data; apply serves it again", async (t) => {
  const pid = Number(containers("chroma-dev", "dev-0")[0]!.containerID!.replace("chroma-mod-local://", ""));
  const removed = await cli(["delete", "bundles/dev.config.ts", "--local"]);
  t.equal(removed.code, 0, removed.stderr);
  await until("the pod gone", () => kubectl(["-n", "chroma-dev", "get", "pod", "dev-0"]).code !== 0, 60_000);
  t.throws(() => process.kill(pid, 0), "its processes are gone");
  t.equal(kubectl(["-n", "chroma-dev", "get", "pvc", "data-dev-0"]).code, 0, "the claim is kept");
  const again = await cli(["apply", "bundles/dev.config.ts", "--local", "--timeout", "5m"]);
  t.equal(again.code, 0, again.stderr);
  t.equal(addresses(again.stdout).get("dev"), devPort, "the same loopback port");
  t.match((await client("1.5.9", devPort, [{ name: "read", op: "read", collection: kept, auth: devToken() }])).get("read"), {
    ok: true,
    result: { exists: true, count: 3, nearest: ["a", "b"] },
  });
});

t.test("the multi bundle: Chroma 0.4.24 with basic auth beside 1.5.9 and 0.6.3, each in its own network", async (t) => {
  for (const ns of ["team-docs", "team-recs"]) kubectl(["create", "namespace", ns]);
  const applied = await cli(["apply", "bundles/multi.config.ts", "--local", "--timeout", "8m"]);
  t.equal(applied.code, 0, applied.stderr);
  const ports = addresses(applied.stdout);
  t.same([...ports.keys()].sort(), ["docs", "legacy", "recs"]);
  t.equal(new Set(ports.values()).size, 3, "one loopback port each, though every pod listens on 8000");
  const basic = (ns: string, name: string): ClientAuth => ({
    kind: "basic",
    username: secret(ns, `${name}-auth`, "username"),
    password: secret(ns, `${name}-auth`, "password"),
  });
  const legacy = await client("0.4.24", ports.get("legacy")!, [
    { name: "crud", op: "crud", collection: `legacy_${run}`, auth: basic("team-recs", "legacy") },
    { name: "anonymous", op: "crud", collection: `legacy_anon_${run}`, auth: null },
  ]);
  t.match(legacy.get("crud"), { ok: true, result: { count: 3 } }, "0.4.24, basic auth");
  t.match(legacy.get("anonymous"), { ok: false, error: authErrorPattern });
  const docs = await client("1.5.9", ports.get("docs")!, [
    { name: "crud", op: "crud", collection: `docs_${run}`, auth: basic("team-docs", "docs") },
    { name: "anonymous", op: "crud", collection: `docs_anon_${run}`, auth: null },
  ]);
  t.match(docs.get("crud"), { ok: true, result: { count: 3 } }, "1.5.9, basic auth through the proxy");
  t.match(docs.get("anonymous"), { ok: false, error: authErrorPattern });
  const recs = await client("0.6.3", ports.get("recs")!, [
    { name: "crud", op: "crud", collection: `recs_${run}`, auth: { kind: "token", header: "Authorization", token: secret("team-recs", "recs-auth", "token") } },
  ]);
  t.match(recs.get("crud"), { ok: true, result: { count: 3 } }, "0.6.3, token auth");
  const removed = await cli(["delete", "bundles/multi.config.ts", "--local"]);
  t.equal(removed.code, 0, removed.stderr);
});

t.test("an image the node cannot run: the pod stays Pending, and apply says why", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-local-node-"));
  const file = join(dir, "odd.config.ts");
  const ns = `odd-${run}`;
  writeFileSync(
    file,
    `import { defineBundle } from "chroma-mod";\nexport default defineBundle({ instances: { odd: { namespace: "${ns}", createNamespace: true, values: { image: { repository: "registry.example/not-chroma" }, chromadb: { isPersistent: false } } } } });\n`,
  );
  t.teardown(() => void kubectl(["delete", "namespace", ns, "--wait=false"]));
  const applied = await cli(["apply", file, "--local", "--timeout", "30s"]);
  t.equal(applied.code, 1);
  t.match(applied.stdout + applied.stderr, /The local node cannot run image registry\.example\/not-chroma:1\.5\.9 \(container chroma\): it runs Chroma images/);
  t.match(applied.stdout + applied.stderr, /ErrImageNeverPull/);
  t.match(applied.stderr, /applied but not ready/);
});

t.test("tls.generate on the local node: apply prints an https address and where the CA is; the client verifies it", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-local-tls-"));
  const file = join(dir, "tls.config.ts");
  const ns = `tls-${run}`;
  writeFileSync(
    file,
    `import { defineBundle } from "chroma-mod";\nexport default defineBundle({ instances: { sec: { namespace: "${ns}", createNamespace: true, values: { chromadb: { apiVersion: "0.6.3", isPersistent: false }, tls: { generate: true } } } } });\n`,
  );
  t.teardown(() => void kubectl(["delete", "namespace", ns, "--wait=false"]));
  const applied = await cli(["apply", file, "--local", "--timeout", "5m"]);
  t.equal(applied.code, 0, applied.stderr);
  const line = new RegExp(
    `^sec: Chroma 0\\.6\\.3 ready at https://127\\.0\\.0\\.1:(\\d+) \\(Authorization: Bearer <token>; token: kubectl -n ${ns} get secret sec-auth -o jsonpath='\\{\\.data\\.token\\}' \\| base64 -d; CA: kubectl -n ${ns} get secret sec-tls -o jsonpath='\\{\\.data\\.ca\\\\\\.crt\\}' \\| base64 -d\\)$`,
    "m",
  );
  t.match(applied.stdout, line);
  const port = Number(line.exec(applied.stdout)?.[1]);
  const ca = join(dir, "ca.crt");
  writeFileSync(ca, secret(ns, "sec-tls", "ca\\.crt"));
  requireVenv("0.6.3");
  const token = secret(ns, "sec-auth", "token");
  const results = await pythonClient(
    "0.6.3",
    port,
    [{ name: "crud", op: "crud", collection: `tls_${run}`, auth: { kind: "token", header: "Authorization", token } }],
    {
      tlsCa: ca,
    },
  );
  t.match(results.get("crud"), { ok: true, result: { count: 3 } }, "0.6.3 over HTTPS on the local node, the CA verified");
  const removed = await cli(["delete", file, "--local"]);
  t.equal(removed.code, 0, removed.stderr);
});
