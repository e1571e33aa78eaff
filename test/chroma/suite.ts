/**
 * The real-server suite of one Chroma version: iterates that version's row of test/chroma/matrix.ts and proves
 * every cell — each "yes" on a server started from the RENDERED pod (test/chroma/runner.ts), each "no" as a
 * `vet` refusal or an absence in the rendered objects. Called by the per-version files test/chroma/v*.test.ts.
 *
 * Runs per version (each a PodRunner from a bundle written here, evaluated by engine/evaluate.ts):
 *   main       token via Authorization (if the version has it), allowReset, persistence, CORS, no telemetry,
 *              log config; restarted once (same PVC)
 *   ephemeral  token via X-Chroma-Token (if the version has it), allowReset false, isPersistent false; restarted
 *   basic      basic auth (if the version has it)
 *   open       no auth; on 0.x anonymizedTelemetry: true as the control of the telemetry observable
 *   entrypoint the open pod through image/docker_entrypoint.sh: rendered command as args, then env-driven
 */
import t, { type Test } from "tap";
import { readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { ValidationError } from "../../engine/errors.ts";
import type { EvaluatedInstance } from "../../engine/evaluate.ts";
import type { KubeObject } from "../../core/types.ts";
import type { Values, ValuesInput } from "../../schemas/values.ts";
import { npmCrud } from "./clients/npm-client.ts";
import {
  authErrorPattern,
  basicHeader,
  http,
  imageProfiles,
  instanceName,
  networkValues,
  outboundTrap,
  pythonClient,
  render,
  requireHostPrograms,
  requireVenv,
  type ClientAuth,
} from "./harness.ts";
import { cellText, features, matrix, type Feature, type MatrixVersion } from "../../module/matrix.ts";
import { filesIn, PodRunner, rewritePaths, sleep, type PodSpec, type RunningPod } from "./runner.ts";

const is1x = (version: string) => version.startsWith("1.");
const allowedOrigin = "http://allowed.example";
const otherOrigin = "http://other.example";

/** A real API route that needs auth (0.6.3's GET /api/v1/collections answers 400, so v2 there). */
function apiPath(version: string): string {
  return is1x(version) || version.startsWith("0.6.") ? "/api/v2/tenants/default_tenant/databases/default_database/collections" : "/api/v1/collections";
}

/** What a refused request gets: 0.4.x 401, 0.5/0.6 403, the 1.x nginx proxy 401. */
function deniedStatus(version: string): number {
  return version.startsWith("0.5.") || version.startsWith("0.6.") ? 403 : 401;
}

function statefulSet(objects: readonly KubeObject[]) {
  return objects.find((o) => o.kind === "StatefulSet") as KubeObject & { spec: { template: { spec: PodSpec } } };
}
function configMapData(objects: readonly KubeObject[]): Record<string, string> {
  return ((objects.find((o) => o.kind === "ConfigMap") as { data?: Record<string, string> } | undefined)?.data ?? {}) as Record<string, string>;
}
function containerNames(objects: readonly KubeObject[]): string[] {
  return statefulSet(objects).spec.template.spec.containers.map((c) => c.name);
}

/** Regex of a Python logging format ("%(asctime)s %(levelname)s [%(name)s] %(message)s"). */
function logFormatRegex(format: string): RegExp {
  const parts = format.split(/(%\([a-z]+\)s)/);
  const body = parts
    .map((p) => {
      if (p === "%(asctime)s") return "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}";
      if (p === "%(levelname)s") return "(?:DEBUG|INFO|WARNING|ERROR|CRITICAL)";
      if (p === "%(name)s") return "[\\w.]+";
      if (p === "%(message)s") return ".*";
      if (/^%\([a-z]+\)s$/.test(p)) return ".*?";
      return p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return new RegExp(`^${body}$`);
}

/* ------------------------------------------------------------------ pods */

interface Served {
  readonly instance: EvaluatedInstance<Values>;
  readonly runner: PodRunner;
  readonly port: number;
  readonly upstreamPort: number;
}

/** Every pod's directories go when the test file ends (CHROMA_MOD_KEEP_PODS=1 keeps them for debugging). */
const runners: PodRunner[] = [];
t.teardown(() => {
  if (process.env.CHROMA_MOD_KEEP_PODS !== "1") for (const r of runners) r.cleanup();
});

async function serve(version: MatrixVersion, values: ValuesInput, transformPod?: (spec: PodSpec) => PodSpec): Promise<Served> {
  const net = await networkValues();
  const chromadb = { ...values.chromadb, apiVersion: version, serverHost: "127.0.0.1", serverHttpPort: net.serverHttpPort };
  const instance = render({ ...values, chromadb, proxy: { ...values.proxy, upstreamPort: net.upstreamPort } });
  const runner = new PodRunner(instance.objects, instance.generatedSecrets, {
    imageProfile: imageProfiles(version, instance.values),
    readyTimeoutMs: 120_000,
    ...(transformPod ? { transformPod } : {}),
  });
  runners.push(runner);
  return { instance, runner, port: net.serverHttpPort, upstreamPort: net.upstreamPort };
}

/** Stops the pod and asserts a graceful stop: every container exits on SIGTERM before the grace period. */
async function stopPod(t: Test, pod: RunningPod, label: string): Promise<void> {
  const exits = await pod.stop();
  for (const [name, exit] of exits) {
    t.notOk(exit.killed, `${label}: container ${name} exits on SIGTERM (${exit.signal ?? `code ${exit.code}`} after ${exit.afterMs} ms), not killed`);
    t.ok(exit.signal === "SIGTERM" || exit.code === 0 || exit.code === 143, `${label}: container ${name} exit is a clean stop`, { exit });
  }
  for (const [name, dir] of pod.workDirs) {
    t.same(filesIn(dir), [], `${label}: container ${name} wrote nothing to its working directory (read-only root filesystem in the pod)`);
  }
}

/** Starts, runs `body`, always stops (asserting a graceful stop) and prints the logs when something failed. */
async function withPod(t: Test, served: Served, label: string, body: (pod: RunningPod) => Promise<void>): Promise<void> {
  const pod = await served.runner.start();
  const failuresBefore = t.counts.fail;
  try {
    await body(pod);
  } finally {
    await stopPod(t, pod, label);
    if (t.counts.fail > failuresBefore) t.comment(`${label} logs:\n${pod.log()}`);
  }
}

/* ------------------------------------------------------------------ feature checks */

async function checkProbes(t: Test, pod: RunningPod): Promise<void> {
  t.ok(pod.probes.some((p) => p.kind === "readiness"), "the pod has a readiness probe");
  for (const p of pod.probes) {
    const res = await http(p.port, p.path);
    t.equal(res.status, 200, `${p.container} ${p.kind} probe GET ${p.path} → 200`);
  }
}

type Credentials = { kind: "token"; header: "Authorization" | "X-Chroma-Token"; token: string } | { kind: "basic"; username: string; password: string };

function headersFor(c: Credentials | null): Record<string, string> {
  if (!c) return {};
  if (c.kind === "basic") return { Authorization: basicHeader(c.username, c.password) };
  return c.header === "Authorization" ? { Authorization: `Bearer ${c.token}` } : { "X-Chroma-Token": c.token };
}
function wrongOf(c: Credentials): Credentials {
  if (c.kind === "basic") return { ...c, password: `${c.password}x` };
  return { ...c, token: c.token.split("").reverse().join("") === c.token ? `${c.token}x` : c.token.split("").reverse().join("") };
}

/** none → refused, wrong → refused, right → a real create/add/query: raw HTTP, the version's Python client, and on 1.x the npm client. */
async function checkAuth(t: Test, version: MatrixVersion, port: number, right: Credentials, tag: string): Promise<void> {
  const wrong = wrongOf(right);
  const path = apiPath(version);
  const denied = deniedStatus(version);
  const none = await http(port, path);
  t.equal(none.status, denied, `HTTP without credentials → ${denied}`, { body: none.body });
  const bad = await http(port, path, { headers: headersFor(wrong) });
  t.equal(bad.status, denied, `HTTP with wrong credentials → ${denied}`, { body: bad.body });
  const ok = await http(port, path, { headers: headersFor(right) });
  t.equal(ok.status, 200, "HTTP with the right credentials → 200", { body: ok.body });
  if (right.kind === "token") {
    // The other header must not be accepted: the server reads exactly the rendered transport header.
    const other: Credentials = { ...right, header: right.header === "Authorization" ? "X-Chroma-Token" : "Authorization" };
    const res = await http(port, path, { headers: headersFor(other) });
    t.equal(res.status, denied, `the right token in the other header (${other.header}) → ${denied}`, { body: res.body });
  }

  const collection = `auth_${tag}`;
  const results = await pythonClient(version, port, [
    { name: "none", op: "crud", collection, auth: null },
    { name: "wrong", op: "crud", collection, auth: wrong as ClientAuth },
    { name: "right", op: "crud", collection, auth: right as ClientAuth },
  ]);
  for (const name of ["none", "wrong"]) {
    const r = results.get(name)!;
    t.notOk(r.ok, `Python client, ${name} credentials: refused`, { result: r.result });
    t.match(r.error ?? "", authErrorPattern, `Python client, ${name} credentials: an auth error`, { error: r.error });
  }
  const r = results.get("right")!;
  t.ok(r.ok, "Python client (the version's auth Settings), right credentials: create/add/query", { error: r.error, trace: r.trace });
  t.same(r.result, { count: 3, nearest: ["a", "b"] }, "Python client: 3 records, nearest neighbours a, b");

  if (is1x(version)) {
    for (const [name, creds] of [["none", null], ["wrong", wrong]] as const) {
      try {
        await npmCrud(port, headersFor(creds), `npm_${name}_${tag}`);
        t.fail(`npm client 3.x, ${name} credentials: refused`);
      } catch (error) {
        t.match(`${(error as Error).name}: ${(error as Error).message}`, /Unauthori[sz]ed|Forbidden|401|403/i, `npm client 3.x, ${name} credentials: refused with an auth error`);
      }
    }
    const res = await npmCrud(port, headersFor(right), `npm_right_${tag}`);
    t.same(res, { count: 3, nearest: ["a", "b"] }, "npm client 3.x with headers, right credentials: create/add/query");
  }
}

/** The proxy really is nginx running the rendered nginx.conf (paths mapped) with the generated token check, as non-root. */
function checkProxyIsRenderedNginx(t: Test, served: Served, pod: RunningPod, right: Credentials): void {
  const proxy = pod.containers.get("auth-proxy");
  if (!t.ok(proxy, "the pod has an auth-proxy container")) return;
  t.equal(readlinkSync(`/proc/${proxy!.child.pid}/exe`), "/usr/sbin/nginx", "the auth-proxy process is nginx (sh exec'd it)");
  const status = readFileSync(`/proc/${proxy!.child.pid}/status`, "utf8");
  const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
  const renderedUid = statefulSet(served.instance.objects).spec.template.spec.securityContext?.runAsUser;
  if (process.getuid?.() === 0) t.equal(Number(uid), renderedUid, `nginx runs as the rendered non-root uid ${renderedUid}`);
  const conf = configMapData(served.instance.objects)["nginx.conf"];
  if (!t.ok(conf, "the ConfigMap has nginx.conf")) return;
  const mounts = pod.mounts.get("auth-proxy")!;
  const confFile = join(mounts.get("/etc/chroma-proxy")!, "nginx.conf");
  t.equal(readFileSync(confFile, "utf8"), rewritePaths(conf!, mounts), "the nginx.conf in the proxy's mount = the rendered one (paths mapped)");
  t.match(readFileSync(`/proc/${proxy!.child.pid}/cmdline`, "utf8").split("\0").join(" "), `-c ${confFile}`, "nginx runs that file");
  if (right.kind === "token") {
    const check = readFileSync(join(mounts.get("/tmp")!, "nginx", "chroma-token.conf"), "utf8");
    t.match(check, /\$chroma_credentials_ok/, "the start script generated the token check nginx includes");
    t.notOk(check.includes(right.token), "the generated check holds the token only as \\xHH escapes");
  }
  const chromaConfig = parseYaml(configMapData(served.instance.objects)["config.yaml"]!) as Record<string, unknown>;
  t.equal(chromaConfig.listen_address, "127.0.0.1", "Chroma behind the proxy listens on loopback only");
  t.equal(chromaConfig.port, served.upstreamPort, "Chroma listens on proxy.upstreamPort");
}

/** CORS answers for the allowed and another origin: a simple GET of the heartbeat, and a preflight of an API route. */
async function corsAnswers(version: MatrixVersion, port: number) {
  const heartbeat = is1x(version) ? "/api/v2/heartbeat" : "/api/v1/heartbeat";
  const preflight = (origin: string) =>
    http(port, apiPath(version), {
      method: "OPTIONS",
      headers: { Origin: origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type,x-chroma-token" },
    });
  return {
    heartbeat,
    getAllowed: await http(port, heartbeat, { headers: { Origin: allowedOrigin } }),
    getOther: await http(port, heartbeat, { headers: { Origin: otherOrigin } }),
    preflightAllowed: await preflight(allowedOrigin),
    preflightOther: await preflight(otherOrigin),
  };
}

const acao = (res: { headers: Headers }) => res.headers.get("access-control-allow-origin");

/** CORS works: the allowed origin gets Access-Control-Allow-Origin (simple request and preflight), another does not. */
async function checkCors(t: Test, version: MatrixVersion, port: number): Promise<void> {
  const a = await corsAnswers(version, port);
  t.equal(acao(a.getAllowed), allowedOrigin, `GET ${a.heartbeat} from ${allowedOrigin}: Access-Control-Allow-Origin`);
  t.equal(acao(a.getOther), null, `GET ${a.heartbeat} from ${otherOrigin}: no Access-Control-Allow-Origin`);
  t.ok(a.preflightAllowed.status >= 200 && a.preflightAllowed.status < 300, `preflight from ${allowedOrigin} → 2xx (got ${a.preflightAllowed.status})`, { body: a.preflightAllowed.body });
  t.equal(acao(a.preflightAllowed), allowedOrigin, `preflight from ${allowedOrigin}: Access-Control-Allow-Origin`);
  t.equal(acao(a.preflightOther), null, `preflight from ${otherOrigin}: no Access-Control-Allow-Origin (status ${a.preflightOther.status})`);
}


/** How long a server must run before "no outbound connection" means something: onnxruntime's 1DS uploader first
 * connects ~7-10 s after the server starts (measured: 10.4-10.7 s from pod start on 0.4.24/0.6.3). */
const telemetryObservationMs = 15_000;

const telemetryLine = /Anonymized telemetry enabled/;

/* ------------------------------------------------------------------ the suite */

export async function versionSuite(version: MatrixVersion): Promise<void> {
  const row = matrix[version];
  const asserted = new Set<Feature>();
  const started = Date.now();
  const feature = (f: Feature, t: Test) => {
    asserted.add(f);
    t.comment(`${f} (${version}) = ${cellText(row[f])}`);
  };

  t.test(`Chroma ${version}: prerequisites (venv, nginx, dumb-init, od, awk)`, async (t) => {
    t.doesNotThrow(() => requireVenv(version), `venv of ${version}`);
    t.doesNotThrow(() => requireHostPrograms(), "nginx, dumb-init, sh, od, awk");
  });
  try {
    requireVenv(version);
    requireHostPrograms();
  } catch {
    return; // the prerequisites test above failed; nothing else can run
  }

  const tokenA = row.tokenAuthorization.support === "yes";
  const tokenX = row.tokenXChromaToken.support === "yes";
  const basic = row.basicAuth.support === "yes";

  /* ---------------- "no" cells: refused by vet / absent from the render */
  await t.test(`Chroma ${version}: what the version cannot do is refused or absent`, async (t) => {
    for (const [f, values] of [
      ["tokenAuthorization", { auth: { enabled: true, type: "token", token: { tokenHeader: "Authorization" } } }],
      ["tokenXChromaToken", { auth: { enabled: true, type: "token", token: { tokenHeader: "X-Chroma-Token" } } }],
      ["basicAuth", { auth: { enabled: true, type: "basic" } }],
    ] as const) {
      if (row[f].support === "yes") continue;
      feature(f, t);
      const error = t.throws(() => render({ chromadb: { apiVersion: version, ...values } })) as unknown;
      t.type(error, ValidationError, `${f}: vet refuses (${row[f].reason})`);
      t.ok(
        error instanceof ValidationError && error.issues.some((i) => i.path === `${instanceName}.values.chromadb.auth.type`),
        `${f}: the issue points at chromadb.auth.type`,
        { issues: error instanceof ValidationError ? error.issues : error },
      );
    }
    if (row.corsWithAuth.support === "no") {
      feature("corsWithAuth", t);
      const auth = basic && !tokenA ? { enabled: true, type: "basic" as const } : { enabled: true };
      const error = t.throws(() => render({ chromadb: { apiVersion: version, auth, corsAllowOrigins: [allowedOrigin] } })) as unknown;
      t.ok(
        error instanceof ValidationError && error.issues.some((i) => /chromadb\.(corsAllowOrigins|auth\.type)$/.test(i.path)),
        "corsWithAuth: vet refuses CORS together with auth on this version",
        { issues: error instanceof ValidationError ? error.issues : error },
      );
    }
    if (row.logConfig.support === "no") {
      feature("logConfig", t);
      const error = t.throws(() => render({ chromadb: { apiVersion: version, logConfig: "version: 1\n" } })) as unknown;
      t.ok(error instanceof ValidationError && error.issues.some((i) => i.path === `${instanceName}.values.chromadb.logConfig`), "logConfig: vet refuses chromadb.logConfig", { error });
      t.notOk(configMapData(render({ chromadb: { apiVersion: version } }).objects)["log_config.yaml"], "logConfig: no log_config.yaml is rendered");
    }
    if (row.authProxy.support === "no") {
      feature("authProxy", t);
      const auth = tokenA ? { enabled: true, type: "token" as const } : basic ? { enabled: true, type: "basic" as const } : { enabled: false };
      const objects = render({ chromadb: { apiVersion: version, auth } }).objects;
      t.same(containerNames(objects), ["chroma"], `authProxy: no sidecar (auth ${auth.enabled ? auth.type : "off"})`);
      t.notOk(configMapData(objects)["nginx.conf"], "authProxy: no nginx.conf");
    }
  });

  /* ---------------- main */
  await t.test(`Chroma ${version}: main pod (${tokenA ? "token via Authorization" : "no auth"}, allowReset, persistent, CORS)`, async (t) => {
    const trap = await outboundTrap();
    try {
      const served = await serve(version, {
        chromadb: {
          auth: tokenA ? { enabled: true, type: "token", token: { tokenHeader: "Authorization" } } : { enabled: false },
          allowReset: true,
          isPersistent: true,
          corsAllowOrigins: row.corsWithAuth.support === "yes" || !tokenA ? [allowedOrigin] : [],
        },
        extraEnv: [
          { name: "HTTPS_PROXY", value: trap.url },
          { name: "HTTP_PROXY", value: trap.url },
        ],
      });
      const secret = [...served.runner.secrets.values()][0];
      const right: Credentials | null = tokenA ? { kind: "token", header: "Authorization", token: secret!.token! } : null;
      const clientAuth = right as ClientAuth;

      await withPod(t, served, "main, first start", async (pod) => {
        await t.test("probes", async (t) => {
          feature("probes", t);
          await checkProbes(t, pod);
        });
        if (tokenA) {
          await t.test("token auth via Authorization: Bearer", async (t) => {
            feature("tokenAuthorization", t);
            await checkAuth(t, version, served.port, right!, "bearer");
          });
        } else {
          const r = (await pythonClient(version, served.port, [{ name: "open", op: "crud", collection: "open_main" }])).get("open")!;
          t.ok(r.ok, "no auth: the Python client creates/adds/queries", { error: r.error, trace: r.trace });
        }
        if (row.authProxy.support === "yes" && right) {
          await t.test("auth proxy is the rendered nginx", async (t) => {
            feature("authProxy", t);
            checkProxyIsRenderedNginx(t, served, pod, right);
            const refused = await http(served.port, apiPath(version));
            t.match(refused.body, /missing or invalid token/, "a refused request is answered by the proxy's rendered 401 body");
            const direct = await http(served.upstreamPort, apiPath(version));
            t.equal(direct.status, 200, "Chroma itself (loopback upstream) has no auth: the proxy is what enforces it");
          });
        }
        if (tokenA && row.corsWithAuth.support === "yes") {
          await t.test("CORS with token auth on", async (t) => {
            feature("corsWithAuth", t);
            await checkCors(t, version, served.port);
          });
        }
        await t.test("log config in effect", async (t) => {
          if (row.logConfig.support === "no") return void t.pass("1.x: asserted refused above");
          feature("logConfig", t);
          const logConfig = parseYaml(configMapData(served.instance.objects)["log_config.yaml"]!) as { formatters: { default: { format: string } } };
          const re = logFormatRegex(logConfig.formatters.default.format);
          const lines = pod.log("chroma").split("\n");
          t.ok(lines.some((l) => re.test(l) && /Uvicorn running on/.test(l)), `the "Uvicorn running on" line is in the module's format ${logConfig.formatters.default.format}`, { log: lines.slice(0, 10) });
          t.notOk(lines.some((l) => /^INFO:\s+Uvicorn running/.test(l)), "no line in uvicorn's default format");
        });
        const write = (await pythonClient(version, served.port, [{ name: "write", op: "write", collection: "persisted", auth: clientAuth }])).get("write")!;
        t.ok(write.ok, "persistence: wrote a collection before the restart", { error: write.error, trace: write.trace });
      });

      await withPod(t, served, "main, after restart", async (pod) => {
        const upSince = Date.now();
        await t.test("persistence: isPersistent true keeps data across a restart", async (t) => {
          feature("persistence", t);
          const read = (await pythonClient(version, served.port, [{ name: "read", op: "read", collection: "persisted", auth: clientAuth }])).get("read")!;
          t.same(read.result, { exists: true, count: 3, nearest: ["a", "b"] }, "the collection is still there after the restart (same PVC)", { error: read.error });
        });
        await t.test("allowReset true: reset works", async (t) => {
          feature("allowReset", t);
          const results = await pythonClient(version, served.port, [
            { name: "reset", op: "reset", auth: clientAuth },
            { name: "read", op: "read", collection: "persisted", auth: clientAuth },
          ]);
          t.same(results.get("reset")!.result, { reset: true }, "reset() → True", { error: results.get("reset")!.error });
          t.equal(results.get("read")!.result?.exists, false, "the data is gone after reset");
        });
        await t.test("telemetry off", async (t) => {
          feature("telemetryOff", t);
          await sleep(Math.max(1500, telemetryObservationMs - (Date.now() - upSince)));
          t.same(trap.requests, [], `no outbound connection from the server in ${telemetryObservationMs / 1000} s of uptime, over two starts (HTTPS_PROXY trap)`);
          t.notMatch(pod.log("chroma"), telemetryLine, "no 'Anonymized telemetry enabled' line");
        });
      });
    } finally {
      await trap.close();
    }
  });

  /* ---------------- ephemeral */
  await t.test(`Chroma ${version}: ephemeral pod (${tokenX ? "token via X-Chroma-Token" : "no auth"}, allowReset false, not persistent)`, async (t) => {
    const served = await serve(version, {
      chromadb: {
        auth: tokenX ? { enabled: true, type: "token", token: { tokenHeader: "X-Chroma-Token" } } : { enabled: false },
        allowReset: false,
        isPersistent: false,
      },
    });
    const secret = [...served.runner.secrets.values()][0];
    const right: Credentials | null = tokenX ? { kind: "token", header: "X-Chroma-Token", token: secret!.token! } : null;
    const clientAuth = right as ClientAuth;
    await withPod(t, served, "ephemeral, first start", async (pod) => {
      await checkProbes(t, pod);
      if (tokenX) {
        await t.test("token auth via X-Chroma-Token", async (t) => {
          feature("tokenXChromaToken", t);
          await checkAuth(t, version, served.port, right!, "xtoken");
        });
      }
      const results = await pythonClient(version, served.port, [
        { name: "write", op: "write", collection: "ephemeral", auth: clientAuth },
        { name: "reset", op: "reset", auth: clientAuth },
        { name: "read", op: "read", collection: "ephemeral", auth: clientAuth },
      ]);
      t.ok(results.get("write")!.ok, "wrote a collection", { error: results.get("write")!.error });
      await t.test("allowReset false: reset refused", async (t) => {
        feature("allowReset", t);
        const reset = results.get("reset")!;
        t.notOk(reset.ok && reset.result?.reset === true, "reset() does not succeed", { result: reset.result });
        t.match(reset.error ?? "", /reset/i, "the server says reset is not allowed", { error: reset.error });
        t.equal(results.get("read")!.result?.count, 3, "the data is untouched");
      });
    });
    await withPod(t, served, "ephemeral, after restart", async () => {
      await t.test("persistence: isPersistent false loses data on restart", async (t) => {
        feature("persistence", t);
        const read = (await pythonClient(version, served.port, [{ name: "read", op: "read", collection: "ephemeral", auth: clientAuth }])).get("read")!;
        t.ok(read.ok, "read after restart", { error: read.error });
        t.equal(read.result?.exists, false, "the collection is gone after the restart");
      });
    });
  });

  /* ---------------- basic */
  if (basic) {
    await t.test(`Chroma ${version}: basic auth pod`, async (t) => {
      const cors = row.corsWithAuth.support === "yes" ? [allowedOrigin] : [];
      const served = await serve(version, { chromadb: { auth: { enabled: true, type: "basic", basic: { username: "chroma-user" } }, corsAllowOrigins: cors } });
      const secret = [...served.runner.secrets.values()][0]!;
      t.equal(secret.username, "chroma-user", "generated Secret: the username from the values");
      t.match(secret.htpasswd, /^chroma-user:\$2[aby]\$10\$/, "generated Secret: a bcrypt htpasswd line");
      const right: Credentials = { kind: "basic", username: secret.username!, password: secret.password! };
      await withPod(t, served, "basic", async (pod) => {
        await checkProbes(t, pod);
        await t.test("basic auth", async (t) => {
          feature("basicAuth", t);
          await checkAuth(t, version, served.port, right, "basic");
          if (row.authProxy.support === "yes") {
            t.equal(containerNames(served.instance.objects).join(","), "chroma,auth-proxy", "1.x: the sidecar enforces basic auth");
            const refused = await http(served.port, apiPath(version));
            t.match(refused.headers.get("www-authenticate") ?? "", /^Basic realm="chroma"/, "nginx's auth_basic challenge (realm chroma)");
          }
        });
        if (!tokenA && row.corsWithAuth.support === "yes") {
          await t.test("CORS with basic auth on", async (t) => {
            feature("corsWithAuth", t);
            await checkCors(t, version, served.port);
          });
        }
      });
    });
  }

  /* ---------------- open (+ telemetry control on 0.x) */
  await t.test(`Chroma ${version}: open pod (no auth${is1x(version) ? "" : ", anonymizedTelemetry true as the control"})`, async (t) => {
    const trap = await outboundTrap();
    try {
      const served = await serve(version, {
        chromadb: { auth: { enabled: false }, corsAllowOrigins: [allowedOrigin], ...(is1x(version) ? {} : { anonymizedTelemetry: true }) },
        extraEnv: [
          { name: "HTTPS_PROXY", value: trap.url },
          { name: "HTTP_PROXY", value: trap.url },
        ],
      });
      t.same(containerNames(served.instance.objects), ["chroma"], "no auth: one container");
      await withPod(t, served, "open", async (pod) => {
        await checkProbes(t, pod);
        const r = (await pythonClient(version, served.port, [{ name: "crud", op: "crud", collection: "open_crud" }])).get("crud")!;
        t.same(r.result, { count: 3, nearest: ["a", "b"] }, "no credentials needed: create/add/query", { error: r.error, trace: r.trace });
        await t.test("CORS", async (t) => {
          feature("cors", t);
          await checkCors(t, version, served.port);
        });
        await t.test("telemetry observable (control)", async (t) => {
          feature("telemetryOff", t);
          if (is1x(version)) {
            await sleep(1000);
            t.same(trap.requests, [], "1.x: no outbound connection at all");
            return;
          }
          for (let i = 0; i < 40 && trap.requests.length === 0; i++) await sleep(250);
          t.ok(trap.requests.some((l) => /posthog/i.test(l)), "with anonymizedTelemetry: true the server does try to reach posthog (through the trap)", { requests: trap.requests });
          t.match(pod.log("chroma"), telemetryLine, "…and logs 'Anonymized telemetry enabled': the observable used above is live");
        });
      });
    } finally {
      await trap.close();
    }
  });

  /* ---------------- image entrypoint */
  await t.test(`Chroma ${version}: image/docker_entrypoint.sh`, async (t) => {
    feature("imageEntrypoint", t);
    const viaEntrypoint = (mode: "args" | "env") => (spec: PodSpec): PodSpec => {
      const c = spec.containers.find((x) => x.name === "chroma")!;
      const rendered = [...(c.command ?? []), ...(c.args ?? [])];
      const server = rendered[0] === "dumb-init" ? rendered.slice(rendered.indexOf("--") + 1) : rendered;
      c.command = ["dumb-init", "--", "/docker_entrypoint.sh"];
      if (mode === "args") {
        c.args = server; // what the image runs when the pod gives only args
      } else {
        c.args = [];
        const env = (c.env ??= []);
        const arg = (flag: string) => server[server.indexOf(flag) + 1]!;
        if (server[0] === "chroma") env.push({ name: "CHROMA_CONFIG", value: server[2]! });
        else {
          env.push({ name: "CHROMA_HOST_ADDR", value: arg("--host") }, { name: "CHROMA_HOST_PORT", value: arg("--port") }, { name: "CHROMA_LOG_CONFIG", value: arg("--log-config") });
          if (server.includes("--timeout-keep-alive")) env.push({ name: "CHROMA_TIMEOUT_KEEP_ALIVE", value: arg("--timeout-keep-alive") });
        }
      }
      return spec;
    };
    for (const mode of ["args", "env"] as const) {
      await t.test(`${mode === "args" ? "rendered command as the entrypoint's args" : "no args: env-driven"}`, async (t) => {
        const served = await serve(version, { chromadb: { auth: { enabled: false } } }, viaEntrypoint(mode));
        await withPod(t, served, `entrypoint ${mode}`, async (pod) => {
          const chroma = pod.containers.get("chroma")!;
          t.match(chroma.argv.join(" "), /dumb-init -- \S*docker_entrypoint\.sh/, "runs under dumb-init through the entrypoint");
          await checkProbes(t, pod);
          const r = (await pythonClient(version, served.port, [{ name: "crud", op: "crud", collection: `entry_${mode}` }])).get("crud")!;
          t.same(r.result, { count: 3, nearest: ["a", "b"] }, "the server started by the entrypoint serves create/add/query", { error: r.error, trace: r.trace });
          if (!is1x(version)) {
            const logConfig = parseYaml(configMapData(served.instance.objects)["log_config.yaml"]!) as { formatters: { default: { format: string } } };
            const re = logFormatRegex(logConfig.formatters.default.format);
            t.ok(pod.log("chroma").split("\n").some((l) => re.test(l) && /Uvicorn running on/.test(l)), "the module's log config is in effect");
          } else {
            const persistPath = (parseYaml(configMapData(served.instance.objects)["config.yaml"]!) as { persist_path: string }).persist_path;
            const hostDir = pod.mounts.get("chroma")!.get(persistPath)!;
            t.ok(pod.log("chroma").includes(`persist_path: ${hostDir}`), `the rendered config.yaml is the one loaded (persist_path ${persistPath} → ${hostDir})`);
          }
        });
      });
    }
  });

  t.test(`Chroma ${version}: every matrix cell was asserted`, async (t) => {
    t.same([...asserted].sort(), (Object.keys(features) as Feature[]).sort(), "every feature of the row was proven");
    t.comment(`Chroma ${version}: wall time ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
}
