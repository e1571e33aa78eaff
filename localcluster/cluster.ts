/**
 * A real local Kubernetes control plane for tests: etcd + kube-apiserver + kube-controller-manager +
 * kube-scheduler, built from Go modules by build.sh, plus kwok (fake node, pods become Ready without a
 * container runtime) and a pool of pre-created hostPath PersistentVolumes bound by the controller
 * manager's PV binder.
 *
 * Everything listens on 127.0.0.1 on ports picked free at start. Processes run detached (they survive the
 * caller) and log into <stateDir>/logs/. Only node: builtins; certificates are made with `openssl`.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  closeSync,
  createWriteStream,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { createServer, type AddressInfo, type Server } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { UserError } from "../engine/errors.ts";
import { BUILD_SCRIPT, defaultCacheDir, localClusterPaths, type LocalClusterPaths } from "./paths.ts";

export { localClusterPaths, defaultCacheDir, pinnedK8sVersion, type LocalClusterPaths } from "./paths.ts";

// ---------------------------------------------------------------------------------------------------------
// Public types

export interface LocalClusterOptions {
  /** Cache root (default $CHROMA_MOD_CACHE or ~/.cache/chroma-mod). */
  cacheDir?: string;
  /** State dir of this cluster (default <cacheDir>/cluster). Two state dirs = two independent clusters. */
  stateDir?: string;
  /** up: how long to wait for the whole cluster to be ready, and for the state dir's lock (default 180 s). */
  timeoutMs?: number;
  /** ensureBinaries/up: run build.sh when binaries are missing or stale (default true). */
  build?: boolean;
  /** up: number of pre-created PersistentVolumes (default 20; applied at every start, existing ones are kept). */
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

/** Last non-empty lines of a log file (written before any error names it), joined on one line. */
function logTail(file: string, lines = 3): string {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, 16384));
    readSync(fd, buf, 0, buf.length, size - buf.length);
    const tail = buf
      .toString("utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "")
      .slice(-lines)
      .join(" | ");
    return tail.slice(-900);
  } finally {
    closeSync(fd);
  }
}

/** A local-cluster failure as the CLI shows it: one paragraph (what, and the log to read), then the fix. */
function clusterError(what: string, log: string | null, fix: string): UserError {
  const logPart = log === null ? "" : ` Read ${log} (last lines: ${logTail(log)}).`;
  return new UserError(`Local cluster: ${what}.${logPart}`, fix);
}

/** `v` quoted for a POSIX shell. */
function shq(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

/** The command a user types to run `chroma-mod local <args>` on the cluster of `paths`. */
function localCommand(paths: LocalClusterPaths, args: string): string {
  if (paths.stateDir !== join(paths.cacheDir, "cluster")) {
    // Only tests and localcluster/cli.ts use other state dirs.
    return `LOCALCLUSTER_STATE_DIR=${shq(paths.stateDir)} npx tsx localcluster/cli.ts ${args}`;
  }
  return `${paths.cacheDir === defaultCacheDir() ? "" : `CHROMA_MOD_CACHE=${shq(paths.cacheDir)} `}chroma-mod local ${args}`;
}

/** The command that stops the cluster of `paths` and deletes its state dir. */
function purgeCommand(paths: LocalClusterPaths): string {
  return localCommand(paths, "down --purge");
}

/**
 * Any failure of `fn` as a UserError: the expected ones already are; anything else (a state dir that is a file,
 * a disk full, a permission refused) is one too, naming the state dir, never an internal error.
 */
async function userErrors<T>(paths: LocalClusterPaths, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(
      `Local cluster: could not ${what} (state dir ${paths.stateDir}): ${(e as Error).message}.`,
      `Check that ${paths.stateDir} and ${paths.cacheDir} are directories you can write to (move aside anything else ` +
        `in their place) on a disk with free space, then run the command again.`,
    );
  }
}

/**
 * The state file; null when there is none (never started, purged), or with `lenient` when it cannot be read.
 * A state file that is there but not one this version wrote is a user error: the processes it would name are
 * unknown.
 */
function readState(paths: LocalClusterPaths, lenient = false): StateFile | null {
  if (!existsSync(paths.stateFile)) return null;
  try {
    const s = JSON.parse(readFileSync(paths.stateFile, "utf8")) as StateFile;
    if (s.version === 1 && Array.isArray(s.components) && typeof s.server === "string" && typeof s.ports.apiserver === "number") return s;
  } catch {
    // not JSON, or not an object: reported below
  }
  if (lenient) return null;
  throw new UserError(
    `Local cluster: the state file ${paths.stateFile} is corrupt or was written by another version of chroma-mod, so which processes run from that state dir is unknown.`,
    `Stop any kube-apiserver, etcd or kwok still running from ${paths.stateDir}, then delete the state dir with \`${purgeCommand(paths)}\` (the next start makes a new one).`,
  );
}

function writeState(paths: LocalClusterPaths, state: StateFile): void {
  const tmp = `${paths.stateFile}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + "\n");
  renameSync(tmp, paths.stateFile);
}

/**
 * A pid is ours when its argv[0] is the binary we started: false once it is gone, a zombie (empty
 * cmdline) or reused by another program.
 */
function isAlive(c: { pid: number; bin: string }): boolean {
  try {
    return readFileSync(`/proc/${c.pid}/cmdline`, "utf8").split("\0")[0] === c.bin;
  } catch {
    return false;
  }
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(port, "127.0.0.1", () => resolve(srv));
  });
}

/**
 * Free ports, reusing the previous run's ports when they are still free (keeps the server URL stable).
 * Every port is held until all are picked, so the five are distinct.
 */
async function pickPorts(prev: ClusterPorts | undefined): Promise<ClusterPorts> {
  const held: Server[] = [];
  const pick = async (p: number | undefined): Promise<number> => {
    const srv = await listen(p ?? 0).catch(() => listen(0));
    held.push(srv);
    return (srv.address() as AddressInfo).port;
  };
  try {
    return {
      etcd: await pick(prev?.etcd),
      etcdPeer: await pick(prev?.etcdPeer),
      apiserver: await pick(prev?.apiserver),
      controllerManager: await pick(prev?.controllerManager),
      scheduler: await pick(prev?.scheduler),
    };
  } finally {
    await Promise.all(held.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

/** pid of the live process holding `lock`, or null when the lock is free or its holder is gone. */
function lockOwner(lock: string): number | null {
  try {
    const pid = Number.parseInt(readlinkSync(lock), 10);
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/**
 * A cross-process lock on the state dir: `.lock` is a symlink whose target is the holder's pid (created
 * atomically, content included), taken over when its holder is gone.
 */
async function withLock<T>(paths: LocalClusterPaths, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  mkdirSync(paths.stateDir, { recursive: true });
  const lock = join(paths.stateDir, ".lock");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      symlinkSync(String(process.pid), lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") {
        throw clusterError(`could not take the lock ${lock}: ${(e as Error).message}`, null, `make sure ${paths.stateDir} exists and is writable, then retry`);
      }
    }
    const owner = lockOwner(lock);
    if (owner === null) {
      rmSync(lock, { force: true });
    } else if (Date.now() > deadline) {
      throw clusterError(
        `another process (pid ${owner}) holds ${lock} and did not release it within ${timeoutMs} ms`,
        null,
        `wait for that process (another \`chroma-mod local up\`/\`down\` or a \`--local\` command) to finish, or stop it with \`kill ${owner}\`, then retry`,
      );
    } else {
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Binaries

/**
 * Make sure every binary exists for the pinned versions: runs `build.sh --check` and, when it says stale or
 * missing, `build.sh` (its output is streamed to stderr and to <cacheDir>/build.log). A cold build takes
 * tens of minutes on 2 cores; a warm check is well under a second.
 */
export async function ensureBinaries(opts: LocalClusterOptions = {}): Promise<LocalClusterPaths> {
  const paths = pathsOf(opts);
  const env = { ...process.env, CHROMA_MOD_CACHE: paths.cacheDir };
  if (spawnSync("bash", [BUILD_SCRIPT, "--check"], { env, stdio: "ignore" }).status === 0) return paths;
  if (opts.build === false) {
    throw clusterError(
      `the control-plane binaries in ${paths.binDir} are missing or stale and building was disabled (build: false)`,
      null,
      `build them with \`bash ${BUILD_SCRIPT}\` (a cold build takes about 30 minutes), then retry`,
    );
  }
  logger(opts)(`building control-plane binaries into ${paths.binDir} (log: ${paths.buildLog}); a cold build is slow`);
  mkdirSync(paths.cacheDir, { recursive: true });
  const out = createWriteStream(paths.buildLog);
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn("bash", [BUILD_SCRIPT], { env, stdio: ["ignore", "pipe", "pipe"] });
    const forward = (chunk: Buffer): void => {
      process.stderr.write(chunk);
      out.write(chunk);
    };
    child.stdout.on("data", forward);
    child.stderr.on("data", forward);
    child.once("error", (e) => reject(clusterError(`could not run \`bash ${BUILD_SCRIPT}\`: ${e.message}`, null, "install bash and make sure it is on PATH")));
    child.once("close", resolve);
  });
  await new Promise<void>((resolve) => out.end(resolve));
  if (code === 3) {
    // build.sh found no Go toolchain, or one too old; its last line says which.
    throw new UserError(
      `Local cluster: ${logTail(paths.buildLog, 1).replace(/^build\.sh: /, "")}.`,
      "Install that Go (https://go.dev/dl/) and put its bin directory on PATH, then run the command again (the first build " +
        "takes about 30 minutes). Or do without the local control plane: apply to a cluster you have with `--context <name>` " +
        "(or `--kubeconfig <file>`) instead of `--local`, or print the manifests with `chroma-mod build <bundle>`.",
    );
  }
  if (code !== 0) {
    throw clusterError(
      `build.sh exited with code ${code} while building the control-plane binaries`,
      paths.buildLog,
      `fix the Go error shown there (the Go module proxy must be reachable), then run the command again or ` +
        `\`bash ${BUILD_SCRIPT}\`; if the linker was killed, retry with CHROMA_MOD_BUILD_P=1 to use less memory`,
    );
  }
  return paths;
}

// ---------------------------------------------------------------------------------------------------------
// Certificates (openssl)

function openssl(pki: string, args: string[]): void {
  const r = spawnSync("openssl", args, { cwd: pki, encoding: "utf8" });
  if (r.status !== 0) {
    const detail = r.error?.message ?? r.stderr.trim().split("\n").slice(-2).join(" | ");
    throw clusterError(
      `\`openssl ${args.slice(0, 2).join(" ")} ...\` failed in ${pki}: ${detail}`,
      null,
      `install openssl (apt-get install openssl) and make sure ${pki} is writable`,
    );
  }
}

function randomSerial(): string {
  return `0x${randomBytes(8).toString("hex")}`;
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
const SERVING_EXT =
  "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n" +
  `subjectAltName=IP:127.0.0.1,IP:${SERVICE_FIRST_IP},DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,` +
  "DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\n";

function subjectOf(cn: string, groups: string[]): string {
  return groups.map((g) => `/O=${g}`).join("") + `/CN=${cn}`;
}

/**
 * CA, serving cert, client certs of the components, front-proxy CA + client (aggregation layer),
 * service-account key pair. Each is made once per state dir; missing ones are added.
 */
function ensurePki(paths: LocalClusterPaths): void {
  const pki = paths.pkiDir;
  mkdirSync(pki, { recursive: true, mode: 0o700 });
  const missing = (...files: string[]): boolean => files.some((f) => !existsSync(join(pki, f)));
  for (const [name, cn] of [["ca", "chroma-mod-local-ca"], ["front-proxy-ca", "chroma-mod-front-proxy-ca"]] as const) {
    if (missing(`${name}.crt`, `${name}.key`)) {
      openssl(pki, [
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.crt`, "-days", "3650",
        "-sha256", "-subj", `/CN=${cn}`,
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
      ]);
    }
  }
  const certs: [name: string, subject: string, ext: string, ca?: string][] = [
    ["apiserver", "/CN=kube-apiserver", SERVING_EXT],
    ["admin", subjectOf(ADMIN_USER, ["system:masters"]), CLIENT_EXT],
    ["controller-manager", subjectOf("system:kube-controller-manager", []), CLIENT_EXT],
    ["scheduler", subjectOf("system:kube-scheduler", []), CLIENT_EXT],
    ["kwok", subjectOf(KWOK_USER, ["system:masters"]), CLIENT_EXT],
    ["front-proxy-client", "/CN=front-proxy-client", CLIENT_EXT, "front-proxy-ca"],
  ];
  for (const [name, subject, ext, ca] of certs) {
    if (missing(`${name}.crt`, `${name}.key`)) issueCert(pki, name, subject, ext, 3650, ca);
  }
  if (missing("sa.key", "sa.pub")) {
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

const AUDIT_POLICY = `# Written by localcluster/cluster.ts.
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

const ADMISSION_CONFIG = `# Written by localcluster/cluster.ts: Pod Security "restricted" is enforced in every namespace
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
  /** Named by errors of requests that fail. */
  apiserverLog: string;
}

function adminConn(paths: LocalClusterPaths, port: number): Conn {
  return {
    port,
    ca: readFileSync(join(paths.pkiDir, "ca.crt")),
    cert: readFileSync(join(paths.pkiDir, "admin.crt")),
    key: readFileSync(join(paths.pkiDir, "admin.key")),
    apiserverLog: join(paths.logDir, "kube-apiserver.log"),
  };
}

interface HttpResult {
  status: number;
  body: string;
}

/** One request; `patch` is a body with its content type. Rejects (naming the request) when no answer comes. */
function kubeRequest(conn: Conn, method: string, path: string, patch?: { type: string; body: unknown }): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
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
        signal: AbortSignal.timeout(10_000),
        headers: { accept: "application/json", "content-type": patch?.type ?? "application/json" },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: Number(res.statusCode), body }));
      },
    );
    req.on("error", (e) =>
      reject(
        new UserError(
          `Local cluster: ${method} ${path} on 127.0.0.1:${conn.port} failed: ${e.message}.`,
          `Read ${conn.apiserverLog} (did the kube-apiserver stop?), then run the command again.`,
        ),
      ),
    );
    req.end(patch === undefined ? undefined : JSON.stringify(patch.body));
  });
}

/** A request that must answer 2xx; returns the parsed body. */
async function kubeJson(conn: Conn, method: string, path: string, patch?: { type: string; body: unknown }): Promise<unknown> {
  const r = await kubeRequest(conn, method, path, patch);
  if (r.status < 200 || r.status >= 300) {
    throw new UserError(
      `Local cluster: ${method} ${path} answered HTTP ${r.status}: ${r.body.slice(0, 400).replace(/\s*\n\s*/g, " ").trim()}`,
      `The local kube-apiserver refused the request: the answer above says why (${conn.apiserverLog} has more); fix the option it names, then run the command again.`,
    );
  }
  return JSON.parse(r.body);
}

/** GET a health endpoint on loopback: etcd over http, the controller manager and scheduler over https (self-signed). */
function healthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const get: typeof httpsRequest = url.startsWith("https:") ? httpsRequest : httpRequest;
    const req = get(url, { rejectUnauthorized: false, signal: AbortSignal.timeout(3000) }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode === 200));
    });
    req.on("error", () => resolve(false));
    req.end();
  });
}

async function readyz(conn: Conn): Promise<boolean> {
  return kubeRequest(conn, "GET", "/readyz").then(
    (r) => r.status === 200 && r.body.trim() === "ok",
    () => false,
  );
}

/** Server-side apply of one object (JSON is YAML). */
async function apply(conn: Conn, path: string, obj: unknown): Promise<void> {
  await kubeJson(conn, "PATCH", `${path}?fieldManager=${FIELD_MANAGER}&force=true`, { type: "application/apply-patch+yaml", body: obj });
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
  // detached: its own process group, so it survives the caller.
  const child = spawn(bin, args, { detached: true, stdio: ["ignore", fd, fd], cwd: paths.stateDir, env });
  closeSync(fd);
  child.on("error", () => {
    /* a spawn failure leaves pid undefined: reported just below */
  });
  child.unref();
  if (child.pid === undefined) {
    throw clusterError(`could not start ${bin}`, log, `run \`bash ${BUILD_SCRIPT}\` to (re)build the binaries`);
  }
  return { name, pid: child.pid, bin, log };
}

/** Signal the process group of `c` when it is still ours; then wait up to `ms` for it to go. True when gone. */
async function signalAndWait(c: ComponentState, sig: NodeJS.Signals, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  // Started detached: pid == pgid. kill(1) rather than process.kill: if the group exits between the check and
  // the signal, kill just reports ESRCH (nothing to do) instead of throwing.
  if (isAlive(c)) spawnSync("kill", [`-${sig}`, "--", `-${c.pid}`], { stdio: "ignore" });
  while (isAlive(c)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/** Stop in the reverse order of starting (kwok first, etcd last): SIGTERM, then SIGKILL after 10 s. */
async function stopComponents(components: ComponentState[], log: (l: string) => void): Promise<void> {
  for (const c of [...components].reverse()) {
    if (!(await signalAndWait(c, "SIGTERM", 10_000))) {
      log(`${c.name} (pid ${c.pid}) ignored SIGTERM for 10 s; sending SIGKILL`);
      await signalAndWait(c, "SIGKILL", 5000);
    }
  }
}

class StartupError extends UserError {
  constructor(
    cause: UserError,
    readonly retryable: boolean,
  ) {
    super(cause.message, cause.hint);
  }
}

/** Poll `ok` until true; fail early when one of `watch` died (retryable when it lost a port race). */
async function waitFor(
  what: string,
  deadline: number,
  watch: ComponentState[],
  logForTimeout: string,
  fix: string,
  ok: () => Promise<boolean>,
): Promise<void> {
  while (!(await ok())) {
    for (const c of watch) {
      if (!isAlive(c)) {
        throw new StartupError(
          clusterError(`${c.name} exited while waiting for ${what}`, c.log, fix),
          /address already in use/i.test(logTail(c.log, 6)),
        );
      }
    }
    if (Date.now() > deadline) {
      throw new StartupError(clusterError(`timed out waiting for ${what}`, logForTimeout, fix), false);
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

interface StartParams {
  log: (line: string) => void;
  deadline: number;
  pvCount: number;
  pvSize: string;
}

async function startOnce(paths: LocalClusterPaths, sp: StartParams, prevPorts: ClusterPorts | undefined): Promise<StateFile> {
  const { log, deadline } = sp;
  const ports = await pickPorts(prevPorts);
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
    const purge = `\`${purgeCommand(paths)}\``;
    await waitFor("etcd /health", deadline, [etcd], etcd.log, `if the log says a port is in use, stop the program that holds it; if it names the data dir, delete the stale state with ${purge}; then run the command again`, () =>
      healthy(`${client}/health`),
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
    await waitFor("kube-apiserver /readyz", deadline, [etcd, apiserver], apiserver.log, `read the apiserver log; a stale state dir is deleted with ${purge}, then run the command again`, () =>
      readyz(conn),
    );

    log(`applying node ${LOCAL_NODE_NAME}, StorageClass ${STORAGE_CLASS} and ${sp.pvCount} PersistentVolumes`);
    await bootstrapObjects(conn, paths, sp.pvCount, sp.pvSize);

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
    await waitFor("kube-controller-manager /healthz", deadline, all, kcm.log, `read the controller-manager log; a stale state dir is deleted with ${purge}, then run the command again`, () =>
      healthy(`https://127.0.0.1:${ports.controllerManager}/healthz`),
    );
    await waitFor("kube-scheduler /healthz", deadline, all, sched.log, `read the scheduler log; a stale state dir is deleted with ${purge}, then run the command again`, () =>
      healthy(`https://127.0.0.1:${ports.scheduler}/healthz`),
    );
    await waitFor(`node ${LOCAL_NODE_NAME} Ready (kwok)`, deadline, all, kwok.log, `read the kwok log; a stale state dir is deleted with ${purge}, then run the command again`, async () => {
      const node = (await kubeJson(conn, "GET", `/api/v1/nodes/${LOCAL_NODE_NAME}`)) as {
        status?: { conditions?: { type: string; status: string }[] };
      };
      return node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;
    });
    await waitFor("ServiceAccount default/default (controller manager)", deadline, all, kcm.log, `read the controller-manager log; a stale state dir is deleted with ${purge}, then run the command again`, async () => {
      const r = await kubeRequest(conn, "GET", "/api/v1/namespaces/default/serviceaccounts/default");
      return r.status === 200;
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
 * A no-op (alreadyRunning: true) when it is already running. Throws a UserError naming the log to read.
 * `timeoutMs` counts from when the binaries are there and the state dir is locked: a cold build (tens of
 * minutes) does not spend it.
 */
export async function up(opts: LocalClusterOptions = {}): Promise<ClusterInfo> {
  const t0 = Date.now();
  const log = logger(opts);
  const timeoutMs = opts.timeoutMs ?? 180_000;
  return userErrors(pathsOf(opts), "start the cluster", async () => {
    const paths = await ensureBinaries(opts);
    return withLock(paths, timeoutMs, async () => {
      const prev = readState(paths);
      if (prev !== null && prev.stoppedAt === undefined) {
        if (prev.components.every(isAlive) && (await readyz(adminConn(paths, prev.ports.apiserver)))) {
          return infoFrom(paths, prev, true, Date.now() - t0);
        }
        // Partly running or not ready (a crash, a reboot): stop what is left, keep the data.
        log("the cluster was not running cleanly; stopping what is left of it and starting again");
        await stopComponents(prev.components, log);
      }
      for (const d of [paths.stateDir, paths.logDir, paths.pvDir, paths.usersDir]) mkdirSync(d, { recursive: true });
      ensurePki(paths);
      const sp: StartParams = { log, deadline: Date.now() + timeoutMs, pvCount: opts.pvCount ?? 20, pvSize: opts.pvSize ?? "10Gi" };
      const start = async (attempt: number, ports: ClusterPorts | undefined): Promise<ClusterInfo> => {
        try {
          const info = infoFrom(paths, await startOnce(paths, sp, ports), false, Date.now() - t0);
          log(`ready in ${(info.startupMs / 1000).toFixed(1)} s: ${info.server} (KUBECONFIG=${info.kubeconfig})`);
          return info;
        } catch (e) {
          if (!(e instanceof StartupError && e.retryable && attempt < 3)) throw e;
          log("a port was taken between picking and binding it; retrying with new ports");
          return start(attempt + 1, undefined);
        }
      };
      return start(1, prev?.ports);
    });
  });
}

/** Stop every component (SIGTERM, then SIGKILL after 10 s). `purge: true` also deletes the state dir. */
export async function down(opts: DownOptions = {}): Promise<void> {
  const paths = pathsOf(opts);
  if (!existsSync(paths.stateDir)) return;
  await userErrors(paths, "stop the cluster", async () => {
    await withLock(paths, 60_000, async () => {
      // A corrupt state file names no process to stop; --purge deletes it anyway.
      const st = readState(paths, opts.purge === true);
      if (st !== null) {
        await stopComponents(st.components, logger(opts));
        writeState(paths, { ...st, stoppedAt: st.stoppedAt ?? new Date().toISOString() });
      }
    });
    if (opts.purge === true) rmSync(paths.stateDir, { recursive: true, force: true });
  });
}

/** Whether the cluster runs, per component. Cheap: reads the state file, /proc and GET /readyz. */
export async function status(opts: LocalClusterOptions = {}): Promise<ClusterStatus> {
  const paths = pathsOf(opts);
  return userErrors(paths, "read the cluster's state", async () => {
    const st = readState(paths);
    if (st === null || st.stoppedAt !== undefined) {
      return { running: false, ready: false, components: [], kubeconfig: paths.kubeconfig, server: null, stateDir: paths.stateDir };
    }
    const components = st.components.map((c) => ({ name: c.name, pid: c.pid, alive: isAlive(c), log: c.log }));
    const running = components.length === 5 && components.every((c) => c.alive);
    const ready = running && (await readyz(adminConn(paths, st.ports.apiserver)));
    return { running, ready, components, kubeconfig: paths.kubeconfig, server: st.server, stateDir: paths.stateDir };
  });
}

/**
 * Shell text that points kubectl at the cluster: `export KUBECONFIG=...` and puts the matching kubectl
 * first on PATH. Throws when the cluster is not running.
 */
export async function env(opts: LocalClusterOptions = {}): Promise<string> {
  const paths = pathsOf(opts);
  if (!(await status(opts)).running) {
    throw clusterError(`the cluster in ${paths.stateDir} is not running`, null, `start it with \`${localCommand(paths, "up")}\``);
  }
  return `export KUBECONFIG=${shq(paths.kubeconfig)}\nexport PATH=${shq(paths.binDir)}:"$PATH"\n`;
}

/**
 * A kubeconfig for user `name` (client certificate signed by the cluster CA, organisations = `groups`).
 * With no groups the user has no rights beyond system:authenticated (discovery, self-reviews), so every
 * read or write of a resource is Forbidden by RBAC. Returns the file path (<stateDir>/users/<name>.kubeconfig).
 */
export async function createUserKubeconfig(name: string, groups: string[] = [], opts: LocalClusterOptions = {}): Promise<string> {
  // X.509 caps a CN or O at 64 characters (openssl refuses longer ones).
  const valid = /^[A-Za-z0-9][A-Za-z0-9:._@-]{0,63}$/;
  for (const v of [name, ...groups]) {
    if (!valid.test(v)) {
      throw new UserError(`Local cluster: invalid user or group name ${JSON.stringify(v)}.`, "Use at most 64 letters, digits and : . _ @ - only.");
    }
  }
  if (groups.includes("system:masters")) {
    throw new UserError("Local cluster: createUserKubeconfig refuses the group system:masters.", "Use the admin kubeconfig instead.");
  }
  const paths = pathsOf(opts);
  const st = readState(paths);
  if (st === null) {
    throw clusterError(`no cluster CA in ${paths.pkiDir}`, null, `start the cluster once with \`${localCommand(paths, "up")}\``);
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
    throw clusterError(`the cluster in ${paths.stateDir} is not running`, null, `start it with \`${localCommand(paths, "up")}\``);
  }
  const conn = adminConn(paths, st.ports.apiserver);
  const list = (await kubeJson(conn, "GET", `/api/v1/persistentvolumes?labelSelector=${encodeURIComponent(PV_LABEL + "=true")}`)) as {
    items: { metadata: { name: string }; spec: { claimRef?: { uid?: string } }; status?: { phase?: string } }[];
  };
  const done: string[] = [];
  for (const pv of list.items) {
    if (pv.status?.phase !== "Released") continue;
    // The test op turns this into a refused no-op when someone else recycled it and it was bound again meanwhile.
    const p = await kubeRequest(conn, "PATCH", `/api/v1/persistentvolumes/${pv.metadata.name}`, {
      type: "application/json-patch+json",
      body: [
        { op: "test", path: "/spec/claimRef/uid", value: pv.spec.claimRef?.uid },
        { op: "remove", path: "/spec/claimRef" },
      ],
    });
    if (p.status === 200) done.push(pv.metadata.name);
  }
  return done;
}
