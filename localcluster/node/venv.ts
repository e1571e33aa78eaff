/**
 * Chroma's Python virtualenvs: the local node runs a pod of image ghcr.io/chroma-core/chroma:<version> with the
 * venv <cacheDir>/venvs/<version>, chromadb==<version> plus chromaPins(version). One procedure installs a venv,
 * install-venv.sh beside this file (ensureVenv here, test/chroma/setup-venvs.sh for the tests); one rule gives the
 * pins of any version, chromaPins (test/chroma/versions.json writes down the same pins with the reasons, and
 * test/unit/venv.test.ts keeps the two equal, so a venv the tests built is the venv the node agent finds).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { defaultCacheDir } from "../../engine/cache-dir.ts";
import { packageRoot } from "../../engine/package-root.ts";

/** localcluster/node/install-venv.sh, in a checkout and in the installed package (which ships it). */
export const INSTALL_VENV_SCRIPT: string = join(packageRoot(import.meta.url), "localcluster", "node", "install-venv.sh");

/** MAJOR.MINOR.PATCH and an optional suffix (e.g. 1.0.0rc1), as in chromadb's versions and the image tags. */
const VERSION = /^(\d+)\.(\d+)\.(\d+)[A-Za-z0-9.+-]*$/;

function parseVersion(version: string): [number, number, number] {
  const m = VERSION.exec(version);
  if (m === null) throw new Error(`Not a Chroma version: "${version}" (expected MAJOR.MINOR.PATCH, e.g. 1.5.9 as in ghcr.io/chroma-core/chroma:1.5.9)`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** a < b, both [major, minor, patch]. */
function before(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < 3; i++) {
    if (a[i] !== b[i]) return (a[i] as number) < (b[i] as number);
  }
  return false;
}

/**
 * The pip pins installed beside chromadb==<version> (in this order: it is part of the venv's stamp), for any version:
 * - `numpy<2` for 0.x before 0.5.6: up to 0.5.5 chromadb uses `np.float_`, which numpy 2 removed (`import chromadb`
 *   fails from 0.4.24 on; 0.5.1-0.5.5 declare numpy<2 themselves), and older releases predate numpy 2;
 * - `posthog<6` for every 0.x: chromadb <1.0 calls posthog.capture(user_id, event, props), a signature posthog 6
 *   changed (every telemetry event then logs "Failed to send telemetry event");
 * - `fastapi<0.132` for 0.x from 0.4.13 (before, chromadb caps fastapi below 0.100 itself): FastAPI 0.132 rejects
 *   JSON bodies without a Content-Type header, which the 0.4.x Python clients send (422 on every create/add);
 * - nothing for 1.x (the server is the Rust binary of the wheel).
 */
export function chromaPins(version: string): string[] {
  const v = parseVersion(version);
  if (v[0] >= 1) return [];
  const pins: string[] = [];
  if (before(v, [0, 5, 6])) pins.push("numpy<2");
  pins.push("posthog<6");
  if (!before(v, [0, 4, 13])) pins.push("fastapi<0.132");
  return pins;
}

/**
 * The chromadb release that runs an image of `version`: the version itself, or, for a release published as an image
 * only (`imageOnlyReleases` of schemas/releases.ts: no wheel on PyPI), the next PyPI release of the same minor line
 * (it holds everything that version shipped, and reads the data it wrote).
 */
export function pypiStandIn(version: string): string {
  return PYPI_STAND_INS[version] ?? version;
}
const PYPI_STAND_INS: Readonly<Record<string, string>> = { "1.5.3": "1.5.4" };

/** <cacheDir>/venvs/<version> (cacheDir: $CHROMA_MOD_CACHE or ~/.cache/chroma-mod). Throws for a non-version. */
export function venvDir(version: string, cacheDir: string = defaultCacheDir()): string {
  parseVersion(version);
  return join(cacheDir, "venvs", version);
}

/** install-venv.sh's log of the last install of `version`. */
function venvLog(version: string, cacheDir: string): string {
  return join(cacheDir, "venvs", ".logs", `${version}.log`);
}

/**
 * The venv of `version` is complete: its python, the program a pod runs (uvicorn for 0.x, the `chroma` CLI for 1.x)
 * and its stamp (written last by install-venv.sh) exist. Whether the stamp matches the pins is ensureVenv's check.
 */
export function venvReady(version: string, cacheDir?: string): boolean {
  const dir = venvDir(version, cacheDir);
  const program = parseVersion(version)[0] === 0 ? "bin/uvicorn" : "bin/chroma";
  return ["bin/python", program, ".chroma-mod-stamp"].every((file) => existsSync(join(dir, file)));
}

export interface EnsureVenvOptions {
  /** Cache root; default $CHROMA_MOD_CACHE or ~/.cache/chroma-mod. */
  cacheDir?: string;
  /** Each line install-venv.sh prints ("<version>: up to date (…)", "<version>: installing … (log: …)", …). */
  log?: (line: string) => void;
  /**
   * Stops waiting (the promise rejects with the signal's reason). The install itself is killed (its process group)
   * once every caller waiting for it has aborted; its stamp is then not written, so the next call builds it anew.
   */
  signal?: AbortSignal;
}

/** One running install-venv.sh, shared by the calls that wait for it. */
interface Install {
  readonly promise: Promise<string>;
  readonly listeners: Set<(line: string) => void>;
  waiters: number;
  settled: boolean;
  readonly kill: () => void;
}

/** Running installs by venv dir (absolute): concurrent calls for one venv share one. */
const installs = new Map<string, Install>();

/** Lines of install-venv.sh's output kept for an error message: its FAILED line and the log's last 15 lines. */
const TAIL_LINES = 16;

function startInstall(version: string, pins: string[], cacheDir: string, dir: string): Install {
  const listeners = new Set<(line: string) => void>();
  // detached: its own process group, so that aborting kills pip and whatever it compiles, not just bash.
  const child = spawn("bash", [INSTALL_VENV_SCRIPT, version, ...pins], {
    env: { ...process.env, CHROMA_MOD_CACHE: cacheDir },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const tail: string[] = [];
  const onLine = (line: string) => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    for (const listener of listeners) listener(line);
  };
  createInterface({ input: child.stdout }).on("line", onLine);
  createInterface({ input: child.stderr }).on("line", onLine);
  const promise = new Promise<string>((resolvePromise, reject) => {
    child.on("error", (err) => reject(new Error(`Chroma ${version}: cannot run bash ${INSTALL_VENV_SCRIPT}: ${err.message}`)));
    child.on("close", (code, signal) => {
      if (code === 0) {
        resolvePromise(dir);
        return;
      }
      const how = code === null ? `killed by ${signal}` : `exit ${code}`;
      const log = venvLog(version, cacheDir);
      reject(new Error(`Chroma ${version}: installing its Python virtualenv ${dir} failed (${how}); log: ${log}. Last lines:\n${tail.join("\n")}`));
    });
  });
  // kill(1) rather than process.kill: a group that has just exited (or a spawn that failed) is a harmless ESRCH.
  const kill = () => spawnSync("kill", ["-TERM", "--", `-${child.pid}`], { stdio: "ignore" });
  return { promise, listeners, waiters: 0, settled: false, kill };
}

/** `promise`, or the signal's reason once `signal` aborts first. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolvePromise, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolvePromise, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/**
 * The venv of `version`, installed by install-venv.sh with chromaPins(version) unless it is up to date (its stamp
 * matches). Resolves to the venv dir; rejects with an Error naming the version, the log file and the last lines of
 * the output when the install fails. Concurrent calls for one version (and cache dir) share one install.
 */
export async function ensureVenv(version: string, opts: EnsureVenvOptions = {}): Promise<string> {
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const dir = venvDir(version, cacheDir);
  const pins = chromaPins(version);
  opts.signal?.throwIfAborted();
  const key = resolve(dir);
  let install = installs.get(key);
  if (install === undefined) {
    const started = startInstall(version, pins, cacheDir, dir);
    const done = () => {
      started.settled = true;
      if (installs.get(key) === started) installs.delete(key);
    };
    started.promise.then(done, done);
    installs.set(key, started);
    install = started;
  }
  const log = opts.log;
  const listener = (line: string) => log?.(line);
  install.listeners.add(listener);
  install.waiters++;
  try {
    return await abortable(install.promise, opts.signal);
  } finally {
    install.listeners.delete(listener);
    install.waiters--;
    if (install.waiters === 0 && !install.settled) {
      // Every caller gave up: stop the install (the next call starts a new one, after this one's flock is released).
      installs.delete(key);
      install.kill();
    }
  }
}
