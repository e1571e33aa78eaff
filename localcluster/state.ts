/**
 * The state of one cluster: its state file (pids, ports, server URL) and the lock through which `up` and `down` of
 * one state dir take turns.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import lockfile from "proper-lockfile";
import { UserError } from "../engine/errors.ts";
import type { LocalClusterPaths } from "./paths.ts";
import { clusterError, purgeCommand } from "./report.ts";
import type { ClusterPorts, ComponentState } from "./types.ts";

export interface StateFile {
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

/**
 * The state file; null when there is none (never started, purged), or with `lenient` when it cannot be read.
 * A state file that is there but not one this version wrote is a user error: the processes it would name are
 * unknown.
 */
export function readState(paths: LocalClusterPaths, lenient = false): StateFile | null {
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

export function writeState(paths: LocalClusterPaths, state: StateFile): void {
  const tmp = `${paths.stateFile}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + "\n");
  renameSync(tmp, paths.stateFile);
}

/**
 * A lock its holder has not refreshed for this long is a leftover (the holder was killed) and is taken over. The
 * holder refreshes it every LOCK_UPDATE_MS; nothing it does under the lock blocks its event loop for long.
 */
export const LOCK_STALE_MS = 10_000;
export const LOCK_UPDATE_MS = 2000;

/** pid of the live process that wrote `ownerFile`, or null when there is none or it is gone. */
function lockOwner(ownerFile: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(ownerFile, "utf8"), 10);
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/** The error of a caller that waited `timeoutMs` for the lock, naming its holder when it still can. */
function heldError(paths: LocalClusterPaths, timeoutMs: number): UserError {
  const owner = lockOwner(paths.lockOwner);
  const who = owner === null ? "another process" : `another process (pid ${owner})`;
  const stop = owner === null ? "" : `, or stop it with \`kill ${owner}\``;
  return clusterError(
    `${who} holds ${paths.lock} and did not release it within ${timeoutMs} ms`,
    null,
    `wait for that process (another \`chroma-mod local up\`/\`down\` or a \`--local\` command) to finish${stop}, then retry`,
  );
}

/**
 * Run `fn` holding the state dir's lock (proper-lockfile: a directory whose mtime the holder refreshes; a lock left
 * by a killed holder goes stale and is taken over, a fresh one never is). Waits up to `timeoutMs` for it.
 */
export async function withLock<T>(paths: LocalClusterPaths, timeoutMs: number, log: (line: string) => void, fn: () => Promise<T>): Promise<T> {
  mkdirSync(paths.stateDir, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let lost = false;
  const options: lockfile.LockOptions = {
    lockfilePath: paths.lock,
    realpath: false,
    stale: LOCK_STALE_MS,
    update: LOCK_UPDATE_MS,
    // Another process took it over (this one was stopped or starved past LOCK_STALE_MS) or someone removed it.
    onCompromised: (e) => {
      lost = true;
      log(`lost the lock ${paths.lock} (${e.message}); another process may change this cluster at the same time`);
    },
  };
  let release: () => Promise<void>;
  for (;;) {
    try {
      release = await lockfile.lock(paths.stateDir, options);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ELOCKED") {
        throw clusterError(
          `could not take the lock ${paths.lock}: ${(e as Error).message}`,
          null,
          `make sure ${paths.stateDir} exists and is writable, then retry`,
        );
      }
    }
    if (Date.now() > deadline) throw heldError(paths, timeoutMs);
    await sleep(250);
  }
  writeFileSync(paths.lockOwner, String(process.pid));
  try {
    return await fn();
  } finally {
    // A lost lock is someone else's now: its owner file too.
    if (!lost) {
      rmSync(paths.lockOwner, { force: true });
      await release();
    }
  }
}
