/**
 * A real local Kubernetes control plane for tests: etcd + kube-apiserver + kube-controller-manager +
 * kube-scheduler, built from Go modules by build.sh, plus kwok (fake node, pods become Ready without a
 * container runtime) and a pool of pre-created hostPath PersistentVolumes bound by the controller
 * manager's PV binder.
 *
 * Everything listens on 127.0.0.1 on ports picked free at start. Processes run detached (they survive the
 * caller) and log into <stateDir>/logs/. Only node: builtins; certificates are made with `openssl`.
 */
import { spawn, spawnSync, execFileSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
  createWriteStream,
} from "node:fs";
import { request as httpsRequest } from "node:https";
import { request as httpRequest } from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { BUILD_SCRIPT, localClusterPaths, type LocalClusterPaths } from "./paths.ts";

export { localClusterPaths, defaultCacheDir, pinnedK8sVersion, type LocalClusterPaths } from "./paths.ts";

// ---------------------------------------------------------------------------------------------------------
// Public types

export interface LocalClusterOptions {
  /** Cache root (default $CHROMA_MOD_CACHE or ~/.cache/chroma-mod). */
  cacheDir?: string;
  /** State dir of this cluster (default <cacheDir>/cluster). Two state dirs = two independent clusters. */
  stateDir?: string;
  /** up: how long to wait for the whole cluster to be ready (default 180 s). */
  timeoutMs?: number;
  /** ensureBinaries/up: run build.sh when binaries are missing or stale (default true). */
  build?: boolean;
  /** up: number of pre-created PersistentVolumes (default 20; only used when the cluster is created). */
  pvCount?: number;
  /** up: capacity of each PersistentVolume (default "10Gi"). */
  pvSize?: string;
  /** Progress lines (default: written to stderr). */
  log?: (line: string) => void;
}

export interface DownOptions extends LocalClusterOptions {
  /** Also delete the state dir (etcd data, certs, logs, audit log). */
  purge?: boolean;
}

export type ComponentName = "etcd" | "kube-apiserver" | "kube-controller-manager" | "kube-scheduler" | "kwok";

export interface ComponentState {
  name: ComponentName;
  pid: number;
  bin: string;
  log: string;
}

export interface ClusterPorts {
  etcd: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
  scheduler: number;
}

export interface ClusterInfo {
  /** https://127.0.0.1:<port> */
  server: string;
  /** Admin kubeconfig (system:masters). */
  kubeconfig: string;
  k8sVersion: string;
  binDir: string;
  /** <binDir>/kubectl: the kubectl of the same version. */
  kubectl: string;
  stateDir: string;
  auditLog: string;
  logDir: string;
  ports: ClusterPorts;
  components: ComponentState[];
  /** Name of the fake (kwok) node. */
  nodeName: string;
  /** Name of the default StorageClass. */
  storageClass: string;
  /** True when up() found the cluster already running and did nothing. */
  alreadyRunning: boolean;
  /** Wall time of this up() call in ms. */
  startupMs: number;
}

export interface ClusterStatus {
  /** State file present and every component process alive. */
  running: boolean;
  /** running and GET /readyz answered "ok". */
  ready: boolean;
  components: { name: ComponentName; pid: number; alive: boolean; log: string }[];
  kubeconfig: string;
  server: string | null;
  stateDir: string;
}

// ---------------------------------------------------------------------------------------------------------
// Constants

export const LOCAL_NODE_NAME = "local-node-0";
export const STORAGE_CLASS = "standard";
/** Label on the pre-created PersistentVolumes. */
export const PV_LABEL = "chroma-mod.local/pool";
const FIELD_MANAGER = "chroma-mod-localcluster";
const SERVICE_CIDR = "10.96.0.0/16";
const SERVICE_FIRST_IP = "10.96.0.1";
const POD_CIDR = "10.244.0.0/16";
/** kwok's identity (in system:masters, so it can patch any status); its reads are not audited. */
const KWOK_USER = "chroma-mod:kwok";
const ADMIN_USER = "chroma-mod:admin";
const STOP_ORDER: ComponentName[] = ["kwok", "kube-scheduler", "kube-controller-manager", "kube-apiserver", "etcd"];

interface StateFile {
  version: 1;
  k8sVersion: string;
  binDir: string;
  server: string;
  ports: ClusterPorts;
  components: ComponentState[];
  startedAt: string;
  readyAt?: string;
  stoppedAt?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers

function logger(opts: LocalClusterOptions): (line: string) => void {
  return opts.log ?? ((line: string) => process.stderr.write(`[localcluster] ${line}\n`));
}

function pathsOf(opts: LocalClusterOptions): LocalClusterPaths {
  return localClusterPaths(opts.cacheDir, opts.stateDir);
}

/** Last non-empty lines of a log file, joined on one line (for error messages). */
function logTail(file: string, lines = 3): string {
  try {
    const size = statSync(file).size;
    const len = Math.min(size, 16384);
    const buf = Buffer.alloc(len);
    const fd = openSync(file, "r");
    try {
      readSync(fd, buf, 0, len, size - len);
    } finally {
      closeSync(fd);
    }
    const tail = buf
      .toString("utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "")
      .slice(-lines)
      .join(" | ");
    return tail === "" ? "(log is empty)" : tail.length > 900 ? tail.slice(-900) : tail;
  } catch {
    return "(no log written)";
  }
}

function clusterError(what: string, log: string | null, fix: string): Error {
  const logPart = log === null ? "" : ` Read ${log} (last lines: ${logTail(log)}).`;
  return new Error(`Local cluster: ${what}.${logPart} Fix: ${fix}`);
}

function readState(paths: LocalClusterPaths): StateFile | null {
  try {
    const s = JSON.parse(readFileSync(paths.stateFile, "utf8")) as StateFile;
    return s.version === 1 ? s : null;
  } catch {
    return null;
  }
}

function writeState(paths: LocalClusterPaths, state: StateFile): void {
  const tmp = `${paths.stateFile}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + "\n");
  execFileSync("mv", ["-f", tmp, paths.stateFile]);
}

/** A pid is ours when it is alive, not a zombie, and its argv[0] is the binary we started. */
function isAlive(c: { pid: number; bin: string }): boolean {
  try {
    const stat = readFileSync(`/proc/${c.pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    if (state === "Z" || state === "X") return false;
    const argv0 = readFileSync(`/proc/${c.pid}/cmdline`, "utf8").split("\0")[0];
    return argv0 === c.bin;
  } catch {
    return false;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen({ port, host: "127.0.0.1", exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen({ port: 0, host: "127.0.0.1", exclusive: true }, () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Free ports, reusing the previous run's ports when they are still free (keeps the kubeconfig stable). */
async function pickPorts(prev: ClusterPorts | undefined): Promise<ClusterPorts> {
  const used = new Set<number>();
  const pick = async (p: number | undefined): Promise<number> => {
    if (p !== undefined && p > 0 && !used.has(p) && (await portFree(p))) {
      used.add(p);
      return p;
    }
    for (;;) {
      const q = await freePort();
      if (!used.has(q)) {
        used.add(q);
        return q;
      }
    }
  };
  return {
    etcd: await pick(prev?.etcd),
    etcdPeer: await pick(prev?.etcdPeer),
    apiserver: await pick(prev?.apiserver),
    controllerManager: await pick(prev?.controllerManager),
    scheduler: await pick(prev?.scheduler),
  };
}

/** A simple cross-process lock on the state dir (O_EXCL file holding the owner's pid). */
async function withLock<T>(paths: LocalClusterPaths, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  mkdirSync(paths.stateDir, { recursive: true });
  const lock = join(paths.stateDir, ".lock");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(lock, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch {
      let owner = NaN;
      try {
        owner = Number(readFileSync(lock, "utf8"));
      } catch {
        /* vanished meanwhile */
      }
      let ownerAlive = false;
      if (Number.isInteger(owner) && owner > 0) {
        try {
          process.kill(owner, 0);
          ownerAlive = true;
        } catch {
          ownerAlive = false;
        }
      }
      if (!ownerAlive) {
        try {
          unlinkSync(lock);
        } catch {
          /* someone else took it */
        }
        continue;
      }
      if (Date.now() > deadline) {
        throw clusterError(
          `another process (pid ${owner}) holds ${lock} and did not release it within ${timeoutMs} ms`,
          null,
          `wait for that process (an up/down of the same state dir) to finish, or kill it, then retry`,
        );
      }
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    try {
      unlinkSync(lock);
    } catch {
      /* already gone */
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Binaries

const BINARIES = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl", "etcd", "kwok"] as const;

/**
 * Make sure every binary exists for the pinned versions: runs `build.sh --check` and, when it says stale or
 * missing, `build.sh` (its output is streamed to stderr and to <cacheDir>/build.log). A cold build takes
 * tens of minutes on 2 cores; a warm check is well under a second.
 */
export async function ensureBinaries(opts: LocalClusterOptions = {}): Promise<LocalClusterPaths> {
  const paths = pathsOf(opts);
  const log = logger(opts);
  const env = { ...process.env, CHROMA_MOD_CACHE: paths.cacheDir };
  const check = spawnSync("bash", [BUILD_SCRIPT, "--check"], { env, stdio: "ignore" });
  if (check.status === 0 && BINARIES.every((b) => existsSync(join(paths.binDir, b)))) return paths;
  if (opts.build === false) {
    throw clusterError(
      `the control-plane binaries in ${paths.binDir} are missing or stale and building was disabled (build: false)`,
      null,
      `run \`bash ${BUILD_SCRIPT}\` (a cold build takes tens of minutes) or call ensureBinaries() without build: false`,
    );
  }
  log(`building control-plane binaries into ${paths.binDir} (log: ${paths.buildLog}); a cold build is slow`);
  mkdirSync(paths.cacheDir, { recursive: true });
  const out = createWriteStream(paths.buildLog);
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn("bash", [BUILD_SCRIPT], { env, stdio: ["ignore", "pipe", "pipe"] });
    const forward = (chunk: Buffer): void => {
      process.stderr.write(chunk);
      out.write(chunk);
    };
    child.stdout.on("data", forward);
    child.stderr.on("data", forward);
    child.once("error", reject);
    child.once("close", (c) => resolve(c ?? 1));
  });
  await new Promise<void>((resolve) => out.end(resolve));
  if (code !== 0) {
    throw clusterError(
      `build.sh exited with code ${code} while building the control-plane binaries`,
      paths.buildLog,
      `fix the Go error shown there (go 1.26+ and the Go module proxy must be reachable); if the linker was killed, ` +
        `retry with CHROMA_MOD_BUILD_P=1 to use less memory`,
    );
  }
  return paths;
}

// ---------------------------------------------------------------------------------------------------------
// Certificates (openssl)

function openssl(pki: string, args: string[]): void {
  const r = spawnSync("openssl", args, { cwd: pki, encoding: "utf8" });
  if (r.error !== undefined || r.status !== 0) {
    const detail = r.error !== undefined ? String(r.error) : (r.stderr ?? "").trim().split("\n").slice(-2).join(" | ");
    throw clusterError(
      `\`openssl ${args.slice(0, 2).join(" ")} ...\` failed in ${pki}: ${detail}`,
      null,
      `install openssl (apt-get install openssl) and make sure ${pki} is writable`,
    );
  }
}

function randomSerial(): string {
  let s = "0x";
  for (let i = 0; i < 16; i++) s += Math.floor(Math.random() * 16).toString(16);
  return s;
}

/** Key + certificate signed by the cluster CA. */
function issueCert(pki: string, name: string, subject: string, ext: string, days = 3650, ca = "ca"): void {
  writeFileSync(join(pki, `${name}.ext`), ext);
  openssl(pki, ["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject]);
  openssl(pki, [
    "x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.crt`, "-CAkey", `${ca}.key`, "-set_serial", randomSerial(),
    "-days", String(days), "-sha256", "-extfile", `${name}.ext`, "-out", `${name}.crt`,
  ]);
  rmSync(join(pki, `${name}.csr`), { force: true });
}

const CLIENT_EXT = "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n";

function subjectOf(cn: string, groups: string[]): string {
  return groups.map((g) => `/O=${g}`).join("") + `/CN=${cn}`;
}

/**
 * CA, serving cert, client certs of the components, front-proxy CA + client (aggregation layer),
 * service-account key pair. Each file is made once per state dir; missing ones are added.
 */
function ensurePki(paths: LocalClusterPaths): void {
  const pki = paths.pkiDir;
  mkdirSync(pki, { recursive: true, mode: 0o700 });
  const has = (f: string): boolean => existsSync(join(pki, f));
  const caArgs = (name: string, cn: string): string[] => [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.crt`, "-days", "3650",
    "-sha256", "-subj", `/CN=${cn}`,
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
  ];
  if (!has("ca.crt") || !has("ca.key")) openssl(pki, caArgs("ca", "chroma-mod-local-ca"));
  if (!has("apiserver.crt")) {
    issueCert(
      pki,
      "apiserver",
      "/CN=kube-apiserver",
      "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n" +
        `subjectAltName=IP:127.0.0.1,IP:${SERVICE_FIRST_IP},DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,` +
        "DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\n",
    );
  }
  if (!has("admin.crt")) issueCert(pki, "admin", subjectOf(ADMIN_USER, ["system:masters"]), CLIENT_EXT);
  if (!has("controller-manager.crt")) issueCert(pki, "controller-manager", subjectOf("system:kube-controller-manager", []), CLIENT_EXT);
  if (!has("scheduler.crt")) issueCert(pki, "scheduler", subjectOf("system:kube-scheduler", []), CLIENT_EXT);
  if (!has("kwok.crt")) issueCert(pki, "kwok", subjectOf(KWOK_USER, ["system:masters"]), CLIENT_EXT);
  if (!has("front-proxy-ca.crt") || !has("front-proxy-ca.key")) openssl(pki, caArgs("front-proxy-ca", "chroma-mod-front-proxy-ca"));
  if (!has("front-proxy-client.crt")) issueCert(pki, "front-proxy-client", "/CN=front-proxy-client", CLIENT_EXT, 3650, "front-proxy-ca");
  if (!has("sa.key") || !has("sa.pub")) {
    openssl(pki, ["genrsa", "-out", "sa.key", "2048"]);
    openssl(pki, ["rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub"]);
  }
}

function b64(file: string): string {
  return readFileSync(file).toString("base64");
}

function kubeconfigText(server: string, caFile: string, user: string, certFile: string, keyFile: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: chroma-mod-local",
    "  cluster:",
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(caFile)}`,
    "users:",
    `- name: ${JSON.stringify(user)}`,
    "  user:",
    `    client-certificate-data: ${b64(certFile)}`,
    `    client-key-data: ${b64(keyFile)}`,
    "contexts:",
    "- name: chroma-mod-local",
    "  context:",
    "    cluster: chroma-mod-local",
    `    user: ${JSON.stringify(user)}`,
    "    namespace: default",
    "current-context: chroma-mod-local",
    "",
  ].join("\n");
}

function writeKubeconfig(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
}

// ---------------------------------------------------------------------------------------------------------
// Config files

const AUDIT_POLICY = `# Written by engine/localcluster/cluster.ts.
# Every write (create, update, patch, delete, deletecollection) by anyone is logged at Metadata (verb, user,
# objectRef, responseStatus); reads by people and tests are logged too. Only health probes, discovery and
# the control plane's own reads are left out.
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
  - level: None
    nonResourceURLs: ["/healthz*", "/readyz*", "/livez*", "/version", "/openapi/*", "/api", "/api/*", "/apis", "/apis/*"]
  - level: None
    verbs: ["get", "list", "watch"]
    users: ["system:kube-controller-manager", "system:kube-scheduler", "system:apiserver", "${KWOK_USER}"]
  - level: None
    verbs: ["get", "list", "watch"]
    userGroups: ["system:serviceaccounts", "system:nodes"]
  - level: Metadata
`;

const ADMISSION_CONFIG = `# Written by engine/localcluster/cluster.ts: Pod Security "restricted" is enforced in every namespace
# that does not say otherwise with pod-security.kubernetes.io/* labels; kube-system is exempt.
apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
  - name: PodSecurity
    configuration:
      apiVersion: pod-security.admission.config.k8s.io/v1
      kind: PodSecurityConfiguration
      defaults:
        enforce: "restricted"
        enforce-version: "latest"
        audit: "restricted"
        audit-version: "latest"
        warn: "restricted"
        warn-version: "latest"
      exemptions:
        usernames: []
        runtimeClasses: []
        namespaces: ["kube-system"]
`;

// ---------------------------------------------------------------------------------------------------------
// HTTP to the apiserver with the admin client certificate

interface Conn {
  port: number;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

function adminConn(paths: LocalClusterPaths, port: number): Conn {
  return {
    port,
    ca: readFileSync(join(paths.pkiDir, "ca.crt")),
    cert: readFileSync(join(paths.pkiDir, "admin.crt")),
    key: readFileSync(join(paths.pkiDir, "admin.key")),
  };
}

interface HttpResult {
  status: number;
  body: string;
}

function kubeRequest(conn: Conn, method: string, path: string, body?: unknown, contentType?: string): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpsRequest(
      {
        host: "127.0.0.1",
        port: conn.port,
        method,
        path,
        ca: conn.ca,
        cert: conn.cert,
        key: conn.key,
        servername: "localhost",
        timeout: 10_000,
        headers: {
          accept: "application/json",
          ...(payload !== undefined ? { "content-type": contentType ?? "application/json" } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timeout on ${method} ${path}`)));
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** GET a health endpoint of a component serving its own self-signed certificate on loopback. */
function probeInsecure(port: number, path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpsRequest(
      { host: "127.0.0.1", port, path, method: "GET", rejectUnauthorized: false, timeout: 3000 },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode === 200));
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

function probeEtcd(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: "127.0.0.1", port, path: "/health", timeout: 3000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(res.statusCode === 200 && Buffer.concat(chunks).toString().includes('"true"')));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

async function readyz(conn: Conn): Promise<boolean> {
  try {
    const r = await kubeRequest(conn, "GET", "/readyz");
    return r.status === 200 && r.body.trim() === "ok";
  } catch {
    return false;
  }
}

/** Server-side apply of one object (JSON is YAML). */
async function apply(conn: Conn, path: string, obj: unknown): Promise<void> {
  const r = await kubeRequest(
    conn,
    "PATCH",
    `${path}?fieldManager=${FIELD_MANAGER}&force=true`,
    obj,
    "application/apply-patch+yaml",
  );
  if (r.status < 200 || r.status >= 300) {
    throw new Error(`server-side apply of ${path} answered HTTP ${r.status}: ${r.body.slice(0, 400)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Processes

function startProcess(paths: LocalClusterPaths, name: ComponentName, args: string[], extraEnv: Record<string, string> = {}): ComponentState {
  const bin = join(paths.binDir, name);
  const log = join(paths.logDir, `${name}.log`);
  const fd = openSync(log, "a");
  writeSync(fd, `\n=== ${new Date().toISOString()} ${bin} ${args.join(" ")}\n`);
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  delete env["KUBECONFIG"];
  const child = spawn(bin, args, { detached: true, stdio: ["ignore", fd, fd], cwd: paths.stateDir, env });
  closeSync(fd);
  child.on("error", () => {
    /* reported through the liveness checks and the log */
  });
  child.unref();
  if (child.pid === undefined) {
    throw clusterError(`could not start ${bin}`, log, `run \`bash ${BUILD_SCRIPT}\` to (re)build the binaries`);
  }
  return { name, pid: child.pid, bin, log };
}

async function stopComponents(components: ComponentState[], log: (l: string) => void): Promise<void> {
  const ordered = [...components].sort((a, b) => STOP_ORDER.indexOf(a.name) - STOP_ORDER.indexOf(b.name));
  const signal = (c: ComponentState, sig: NodeJS.Signals): void => {
    if (!isAlive(c)) return;
    try {
      process.kill(-c.pid, sig); // the whole process group: it was started detached, pid == pgid
    } catch {
      try {
        process.kill(c.pid, sig);
      } catch {
        /* gone */
      }
    }
  };
  for (const c of ordered) {
    if (!isAlive(c)) continue;
    signal(c, "SIGTERM");
    const deadline = Date.now() + 10_000;
    while (isAlive(c) && Date.now() < deadline) await sleep(100);
    if (isAlive(c)) {
      log(`${c.name} (pid ${c.pid}) ignored SIGTERM for 10 s; sending SIGKILL`);
      signal(c, "SIGKILL");
      const killDeadline = Date.now() + 5000;
      while (isAlive(c) && Date.now() < killDeadline) await sleep(100);
    }
  }
}

class StartupError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** Poll `ok` until true; fail early when one of `watch` died. */
async function waitFor(
  what: string,
  deadline: number,
  watch: ComponentState[],
  logForTimeout: string,
  fix: string,
  ok: () => Promise<boolean>,
): Promise<void> {
  for (;;) {
    if (await ok()) return;
    for (const c of watch) {
      if (!isAlive(c)) {
        const tail = logTail(c.log, 6);
        throw new StartupError(
          clusterError(`${c.name} exited while waiting for ${what}`, c.log, fix).message,
          /address already in use/i.test(tail),
        );
      }
    }
    if (Date.now() > deadline) {
      throw new StartupError(clusterError(`timed out waiting for ${what}`, logForTimeout, fix).message, false);
    }
    await sleep(200);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Bootstrap objects

function pvName(i: number): string {
  return `local-pv-${String(i).padStart(2, "0")}`;
}

async function bootstrapObjects(conn: Conn, paths: LocalClusterPaths, pvCount: number, pvSize: string): Promise<void> {
  await apply(conn, `/api/v1/nodes/${LOCAL_NODE_NAME}`, {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: LOCAL_NODE_NAME,
      annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
      labels: {
        "kubernetes.io/hostname": LOCAL_NODE_NAME,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "node-role.kubernetes.io/agent": "",
        type: "kwok",
      },
    },
  });
  const resources = { cpu: "32", memory: "128Gi", pods: "250", "ephemeral-storage": "500Gi" };
  await apply(conn, `/api/v1/nodes/${LOCAL_NODE_NAME}/status`, {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: LOCAL_NODE_NAME },
    status: { capacity: resources, allocatable: resources },
  });
  await apply(conn, `/apis/storage.k8s.io/v1/storageclasses/${STORAGE_CLASS}`, {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: STORAGE_CLASS, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    provisioner: "kubernetes.io/no-provisioner",
    volumeBindingMode: "Immediate",
    reclaimPolicy: "Retain",
  });
  for (let i = 0; i < pvCount; i++) {
    const name = pvName(i);
    const dir = join(paths.pvDir, name);
    mkdirSync(dir, { recursive: true });
    await apply(conn, `/api/v1/persistentvolumes/${name}`, {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name, labels: { [PV_LABEL]: "true" } },
      spec: {
        capacity: { storage: pvSize },
        accessModes: ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany"],
        storageClassName: STORAGE_CLASS,
        persistentVolumeReclaimPolicy: "Retain",
        volumeMode: "Filesystem",
        hostPath: { path: dir, type: "DirectoryOrCreate" },
      },
    });
  }
}

// ---------------------------------------------------------------------------------------------------------
// up / down / status / env

function infoFrom(paths: LocalClusterPaths, st: StateFile, alreadyRunning: boolean, startupMs: number): ClusterInfo {
  return {
    server: st.server,
    kubeconfig: paths.kubeconfig,
    k8sVersion: st.k8sVersion,
    binDir: st.binDir,
    kubectl: join(st.binDir, "kubectl"),
    stateDir: paths.stateDir,
    auditLog: paths.auditLog,
    logDir: paths.logDir,
    ports: st.ports,
    components: st.components,
    nodeName: LOCAL_NODE_NAME,
    storageClass: STORAGE_CLASS,
    alreadyRunning,
    startupMs,
  };
}

async function runningInfo(paths: LocalClusterPaths, t0: number): Promise<ClusterInfo | null> {
  const st = readState(paths);
  if (st === null || st.stoppedAt !== undefined || st.components.length === 0) return null;
  if (!st.components.every(isAlive)) return null;
  if (!(await readyz(adminConn(paths, st.ports.apiserver)))) return null;
  return infoFrom(paths, st, true, Date.now() - t0);
}

async function startOnce(paths: LocalClusterPaths, opts: LocalClusterOptions, t0: number): Promise<StateFile> {
  const log = logger(opts);
  const deadline = t0 + (opts.timeoutMs ?? 180_000);
  const prev = readState(paths);
  const ports = await pickPorts(prev?.ports);
  const server = `https://127.0.0.1:${ports.apiserver}`;
  const pki = paths.pkiDir;
  const p = (f: string): string => join(pki, f);
  const st: StateFile = {
    version: 1,
    k8sVersion: paths.k8sVersion,
    binDir: paths.binDir,
    server,
    ports,
    components: [],
    startedAt: new Date().toISOString(),
  };
  const record = (c: ComponentState): ComponentState => {
    st.components.push(c);
    writeState(paths, st);
    return c;
  };

  // Kubeconfigs for this server URL.
  writeKubeconfig(paths.kubeconfig, kubeconfigText(server, p("ca.crt"), ADMIN_USER, p("admin.crt"), p("admin.key")));
  const kcmKubeconfig = join(pki, "controller-manager.kubeconfig");
  const schedKubeconfig = join(pki, "scheduler.kubeconfig");
  const kwokKubeconfig = join(pki, "kwok.kubeconfig");
  writeKubeconfig(kcmKubeconfig, kubeconfigText(server, p("ca.crt"), "system:kube-controller-manager", p("controller-manager.crt"), p("controller-manager.key")));
  writeKubeconfig(schedKubeconfig, kubeconfigText(server, p("ca.crt"), "system:kube-scheduler", p("scheduler.crt"), p("scheduler.key")));
  writeKubeconfig(kwokKubeconfig, kubeconfigText(server, p("ca.crt"), KWOK_USER, p("kwok.crt"), p("kwok.key")));
  writeFileSync(paths.auditPolicy, AUDIT_POLICY);
  writeFileSync(paths.admissionConfig, ADMISSION_CONFIG);

  try {
    // etcd
    log(`starting etcd on 127.0.0.1:${ports.etcd}`);
    const peer = `http://127.0.0.1:${ports.etcdPeer}`;
    const client = `http://127.0.0.1:${ports.etcd}`;
    const etcd = record(
      startProcess(paths, "etcd", [
        "--name=local",
        `--data-dir=${paths.etcdDataDir}`,
        `--listen-client-urls=${client}`,
        `--advertise-client-urls=${client}`,
        `--listen-peer-urls=${peer}`,
        `--initial-advertise-peer-urls=${peer}`,
        `--initial-cluster=local=${peer}`,
        "--unsafe-no-fsync",
        "--log-level=warn",
        "--auto-compaction-mode=periodic",
        "--auto-compaction-retention=10m",
      ]),
    );
    await waitFor("etcd /health", deadline, [etcd], etcd.log, "free the port or delete the etcd data dir with down({ purge: true })", () =>
      probeEtcd(ports.etcd),
    );

    // kube-apiserver
    log(`starting kube-apiserver on ${server}`);
    const apiserver = record(
      startProcess(paths, "kube-apiserver", [
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        // Since 1.37 the lease endpoint reconciler refuses a loopback advertise address ("may not be in the
        // loopback range"); with "none" the kubernetes Service simply has no endpoints (nothing runs in pods).
        "--endpoint-reconciler-type=none",
        `--secure-port=${ports.apiserver}`,
        `--etcd-servers=${client}`,
        `--tls-cert-file=${p("apiserver.crt")}`,
        `--tls-private-key-file=${p("apiserver.key")}`,
        `--client-ca-file=${p("ca.crt")}`,
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        `--service-account-key-file=${p("sa.pub")}`,
        `--service-account-signing-key-file=${p("sa.key")}`,
        `--service-cluster-ip-range=${SERVICE_CIDR}`,
        "--authorization-mode=Node,RBAC",
        "--enable-admission-plugins=NodeRestriction,PodSecurity",
        `--admission-control-config-file=${paths.admissionConfig}`,
        "--allow-privileged=true",
        `--audit-policy-file=${paths.auditPolicy}`,
        `--audit-log-path=${paths.auditLog}`,
        "--audit-log-format=json",
        "--audit-log-mode=blocking",
        "--audit-log-maxsize=200",
        "--audit-log-maxbackup=2",
        "--profiling=false",
        // Aggregation layer (front proxy): also lets the controller manager and scheduler read a complete
        // extension-apiserver-authentication ConfigMap.
        `--requestheader-client-ca-file=${p("front-proxy-ca.crt")}`,
        "--requestheader-allowed-names=front-proxy-client",
        "--requestheader-username-headers=X-Remote-User",
        "--requestheader-group-headers=X-Remote-Group",
        "--requestheader-extra-headers-prefix=X-Remote-Extra-",
        `--proxy-client-cert-file=${p("front-proxy-client.crt")}`,
        `--proxy-client-key-file=${p("front-proxy-client.key")}`,
      ]),
    );
    const conn = adminConn(paths, ports.apiserver);
    await waitFor("kube-apiserver /readyz", deadline, [etcd, apiserver], apiserver.log, "read the apiserver log; a stale state dir is fixed by down({ purge: true })", () =>
      readyz(conn),
    );

    log(`applying node ${LOCAL_NODE_NAME}, StorageClass ${STORAGE_CLASS} and ${opts.pvCount ?? 20} PersistentVolumes`);
    await bootstrapObjects(conn, paths, opts.pvCount ?? 20, opts.pvSize ?? "10Gi");

    // controller manager, scheduler, kwok
    log("starting kube-controller-manager, kube-scheduler, kwok");
    const kcm = record(
      startProcess(paths, "kube-controller-manager", [
        `--kubeconfig=${kcmKubeconfig}`,
        `--authentication-kubeconfig=${kcmKubeconfig}`,
        `--authorization-kubeconfig=${kcmKubeconfig}`,
        "--bind-address=127.0.0.1",
        `--secure-port=${ports.controllerManager}`,
        "--leader-elect=false",
        "--use-service-account-credentials=true",
        `--service-account-private-key-file=${p("sa.key")}`,
        `--root-ca-file=${p("ca.crt")}`,
        `--cluster-signing-cert-file=${p("ca.crt")}`,
        `--cluster-signing-key-file=${p("ca.key")}`,
        "--profiling=false",
      ]),
    );
    const sched = record(
      startProcess(paths, "kube-scheduler", [
        `--kubeconfig=${schedKubeconfig}`,
        `--authentication-kubeconfig=${schedKubeconfig}`,
        `--authorization-kubeconfig=${schedKubeconfig}`,
        "--bind-address=127.0.0.1",
        `--secure-port=${ports.scheduler}`,
        "--leader-elect=false",
      ]),
    );
    const stages = paths.kwokStagesDir;
    const kwok = record(
      startProcess(
        paths,
        "kwok",
        [
          `--kubeconfig=${kwokKubeconfig}`,
          "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
          "--node-ip=127.0.0.1",
          `--cidr=${POD_CIDR}`,
          "--node-lease-duration-seconds=40",
          `--config=${[
            "node/fast/node-initialize.yaml",
            "node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
            "pod/fast/pod-ready.yaml",
            "pod/fast/pod-complete.yaml",
            "pod/fast/pod-delete.yaml",
          ]
            .map((f) => join(stages, f))
            .join(",")}`,
        ],
        // kwok also loads ~/.kwok/kwok.yaml when present: point its work dir into the state dir.
        { KWOK_WORKDIR: join(paths.stateDir, "kwok") },
      ),
    );
    const all = [etcd, apiserver, kcm, sched, kwok];
    await waitFor("kube-controller-manager /healthz", deadline, all, kcm.log, "read the controller-manager log", () =>
      probeInsecure(ports.controllerManager, "/healthz"),
    );
    await waitFor("kube-scheduler /healthz", deadline, all, sched.log, "read the scheduler log", () =>
      probeInsecure(ports.scheduler, "/healthz"),
    );
    await waitFor(`node ${LOCAL_NODE_NAME} Ready (kwok)`, deadline, all, kwok.log, "read the kwok log", async () => {
      const r = await kubeRequest(conn, "GET", `/api/v1/nodes/${LOCAL_NODE_NAME}`).catch(() => null);
      if (r === null || r.status !== 200) return false;
      const node = JSON.parse(r.body) as { status?: { conditions?: { type: string; status: string }[] } };
      return (node.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
    });
    await waitFor("ServiceAccount default/default (controller manager)", deadline, all, kcm.log, "read the controller-manager log", async () => {
      const r = await kubeRequest(conn, "GET", "/api/v1/namespaces/default/serviceaccounts/default").catch(() => null);
      return r !== null && r.status === 200;
    });
    st.readyAt = new Date().toISOString();
    writeState(paths, st);
    return st;
  } catch (e) {
    await stopComponents(st.components, log);
    st.stoppedAt = new Date().toISOString();
    writeState(paths, st);
    throw e;
  }
}

/**
 * Start the cluster (building the binaries first if needed) and return when it is ready: /readyz ok, the
 * fake node Ready, the controller manager and scheduler healthy, the default ServiceAccount created.
 * A no-op (alreadyRunning: true) when it is already running. Throws an Error naming the log to read.
 */
export async function up(opts: LocalClusterOptions = {}): Promise<ClusterInfo> {
  const t0 = Date.now();
  const log = logger(opts);
  const paths = await ensureBinaries(opts);
  return withLock(paths, opts.timeoutMs ?? 180_000, async () => {
    const running = await runningInfo(paths, t0);
    if (running !== null) return running;
    // Partly running (a crash, a reboot): stop what is left, keep the data.
    const stale = readState(paths);
    if (stale !== null && stale.components.some(isAlive)) {
      log("found a partly running cluster; stopping it before starting again");
      await stopComponents(stale.components, log);
    }
    for (const d of [paths.stateDir, paths.logDir, paths.pvDir, paths.usersDir]) mkdirSync(d, { recursive: true });
    ensurePki(paths);
    for (let attempt = 1; ; attempt++) {
      try {
        const st = await startOnce(paths, opts, t0);
        const info = infoFrom(paths, st, false, Date.now() - t0);
        log(`ready in ${(info.startupMs / 1000).toFixed(1)} s: ${info.server} (KUBECONFIG=${info.kubeconfig})`);
        return info;
      } catch (e) {
        if (e instanceof StartupError && e.retryable && attempt < 3) {
          log("a port was taken between picking and binding it; retrying with new ports");
          const st = readState(paths);
          if (st !== null) writeState(paths, { ...st, ports: { etcd: 0, etcdPeer: 0, apiserver: 0, controllerManager: 0, scheduler: 0 } });
          continue;
        }
        throw e instanceof StartupError ? new Error(e.message) : e;
      }
    }
  });
}

/** Stop every component (SIGTERM, then SIGKILL after 10 s). `purge: true` also deletes the state dir. */
export async function down(opts: DownOptions = {}): Promise<void> {
  const paths = pathsOf(opts);
  const log = logger(opts);
  if (!existsSync(paths.stateDir)) return;
  await withLock(paths, 60_000, async () => {
    const st = readState(paths);
    if (st !== null) {
      await stopComponents(st.components, log);
      const alive = st.components.filter(isAlive);
      if (alive.length > 0) {
        throw clusterError(
          `could not stop ${alive.map((c) => `${c.name} (pid ${c.pid})`).join(", ")}`,
          alive[0]?.log ?? null,
          `kill those pids by hand, then call down() again`,
        );
      }
      if (st.stoppedAt === undefined) writeState(paths, { ...st, stoppedAt: new Date().toISOString() });
    }
  });
  if (opts.purge === true) rmSync(paths.stateDir, { recursive: true, force: true });
}

/** Whether the cluster runs, per component. Cheap: reads the state file, /proc and GET /readyz. */
export async function status(opts: LocalClusterOptions = {}): Promise<ClusterStatus> {
  const paths = pathsOf(opts);
  const st = readState(paths);
  const live = st !== null && st.stoppedAt === undefined;
  const components = live ? st.components.map((c) => ({ name: c.name, pid: c.pid, alive: isAlive(c), log: c.log })) : [];
  const running = live && components.length === 5 && components.every((c) => c.alive);
  const ready = running && st !== null && (await readyz(adminConn(paths, st.ports.apiserver)));
  return { running, ready, components, kubeconfig: paths.kubeconfig, server: live ? st.server : null, stateDir: paths.stateDir };
}

/**
 * Shell text that points kubectl at the cluster: `export KUBECONFIG=...` and puts the matching kubectl
 * first on PATH. Throws when the cluster is not running.
 */
export async function env(opts: LocalClusterOptions = {}): Promise<string> {
  const s = await status(opts);
  const paths = pathsOf(opts);
  if (!s.running) {
    throw clusterError(`the cluster in ${paths.stateDir} is not running`, null, "call up() first");
  }
  const q = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`;
  return `export KUBECONFIG=${q(paths.kubeconfig)}\nexport PATH=${q(paths.binDir)}:"$PATH"\n`;
}

/**
 * A kubeconfig for user `name` (client certificate signed by the cluster CA, organisations = `groups`).
 * With no groups the user has no rights beyond system:authenticated (discovery, self-reviews), so every
 * read or write of a resource is Forbidden by RBAC. Returns the file path (<stateDir>/users/<name>.kubeconfig).
 */
export async function createUserKubeconfig(name: string, groups: string[] = [], opts: LocalClusterOptions = {}): Promise<string> {
  const valid = /^[A-Za-z0-9][A-Za-z0-9:._@-]*$/;
  for (const v of [name, ...groups]) {
    if (!valid.test(v) || v.length > 128) {
      throw new Error(
        `Local cluster: invalid user or group name ${JSON.stringify(v)}. Fix: use letters, digits and : . _ @ - only.`,
      );
    }
  }
  if (groups.includes("system:masters")) {
    throw new Error("Local cluster: createUserKubeconfig refuses the group system:masters. Fix: use the admin kubeconfig instead.");
  }
  const paths = pathsOf(opts);
  const st = readState(paths);
  if (st === null || !existsSync(join(paths.pkiDir, "ca.key"))) {
    throw clusterError(`no cluster CA in ${paths.pkiDir}`, null, "call up() first");
  }
  mkdirSync(paths.usersDir, { recursive: true });
  const file = name.replace(/:/g, "_");
  const base = join(paths.usersDir, file);
  // issueCert works relative to the pki dir; the user cert files live in users/.
  issueCert(paths.pkiDir, `../users/${file}`, subjectOf(name, groups), CLIENT_EXT, 365);
  const kubeconfig = `${base}.kubeconfig`;
  writeKubeconfig(kubeconfig, kubeconfigText(st.server, join(paths.pkiDir, "ca.crt"), name, `${base}.crt`, `${base}.key`));
  return kubeconfig;
}

/**
 * Make the pool's Released PersistentVolumes (their claim was deleted; reclaim policy Retain) Available
 * again by dropping their claimRef. Returns the names made available.
 */
export async function recycleVolumes(opts: LocalClusterOptions = {}): Promise<string[]> {
  const paths = pathsOf(opts);
  const st = readState(paths);
  if (st === null || st.stoppedAt !== undefined) {
    throw clusterError(`the cluster in ${paths.stateDir} is not running`, null, "call up() first");
  }
  const conn = adminConn(paths, st.ports.apiserver);
  const r = await kubeRequest(conn, "GET", `/api/v1/persistentvolumes?labelSelector=${encodeURIComponent(PV_LABEL + "=true")}`);
  if (r.status !== 200) throw new Error(`Local cluster: listing PersistentVolumes answered HTTP ${r.status}: ${r.body.slice(0, 300)}`);
  const list = JSON.parse(r.body) as { items: { metadata: { name: string }; status?: { phase?: string } }[] };
  const done: string[] = [];
  for (const pv of list.items) {
    if (pv.status?.phase !== "Released") continue;
    const p = await kubeRequest(
      conn,
      "PATCH",
      `/api/v1/persistentvolumes/${pv.metadata.name}`,
      [{ op: "remove", path: "/spec/claimRef" }],
      "application/json-patch+json",
    );
    if (p.status === 200) done.push(pv.metadata.name);
  }
  return done;
}
