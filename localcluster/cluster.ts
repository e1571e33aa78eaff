/**
 * A real local Kubernetes control plane: etcd + kube-apiserver + kube-controller-manager + kube-scheduler, built
 * from Go modules by build.sh; the local node (node/agent.ts: runs the pods bound to it as local processes,
 * provisions hostPath volumes, puts Services on loopback ports); and kwok (a fake, tainted node for pods that
 * tolerate it: test fixtures whose images nothing can run).
 *
 * Everything listens on 127.0.0.1 on ports picked free at start. Processes run detached (they survive the
 * caller) and log into <stateDir>/logs/. Certificates are made with `openssl`. This file is the API: up, down,
 * status, env; the concerns live beside it (state.ts, ports.ts, binaries.ts, pki.ts, kubeconfig.ts,
 * manifests.ts, components/, process.ts, api.ts, bootstrap.ts, start.ts).
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { isReady } from "./api.ts";
import { ensureBinaries } from "./binaries.ts";
import { LOCAL_NODE_NAME, STORAGE_CLASS } from "./bootstrap.ts";
import { PROCESS_NODE_NAME } from "./node/kube.ts";
import { ensurePki } from "./pki.ts";
import { pathsOf, type LocalClusterPaths } from "./paths.ts";
import { isAlive, StartupError, stopComponents } from "./process.ts";
import { logger, notRunning, shq, userErrors } from "./report.ts";
import { startOnce, type StartParams } from "./start.ts";
import { readState, withLock, writeState, type StateFile } from "./state.ts";
import type { ClusterInfo, ClusterPorts, ClusterStatus, DownOptions, LocalClusterOptions } from "./types.ts";

export { localClusterPaths, defaultCacheDir, pinnedK8sVersion } from "./paths.ts";
export { ensureBinaries } from "./binaries.ts";
export { createUserKubeconfig } from "./kubeconfig.ts";
export { pruneVolumes, volumes } from "./bootstrap.ts";
export { serviceAddress } from "./node/addresses.ts";
export type { ClusterInfo, ClusterStatus, DownOptions, LocalClusterOptions } from "./types.ts";

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
    processNodeName: PROCESS_NODE_NAME,
    storageClass: STORAGE_CLASS,
    alreadyRunning,
    startupMs,
  };
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
    return withLock(paths, timeoutMs, log, async () => {
      const prev = readState(paths);
      if (prev !== null && prev.stoppedAt === undefined) {
        const complete = prev.components.some((c) => c.name === "local-node");
        if (complete && prev.components.every(isAlive) && (await isReady(paths))) {
          return infoFrom(paths, prev, true, Date.now() - t0);
        }
        // Partly running or not ready (a crash, a reboot), or started by an older chroma-mod without the local node:
        // stop what is left, keep the data.
        log(
          complete
            ? "the cluster was not running cleanly; stopping what is left of it and starting again"
            : "the cluster runs without the local node (started by an older chroma-mod); restarting it with the local node",
        );
        await stopComponents(prev.components, log);
      }
      for (const d of [paths.stateDir, paths.logDir, paths.pvDir, paths.usersDir]) mkdirSync(d, { recursive: true });
      await ensurePki(paths);
      const sp: StartParams = { log, deadline: Date.now() + timeoutMs };
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
  const log = logger(opts);
  await userErrors(paths, "stop the cluster", async () => {
    await withLock(paths, 60_000, log, async () => {
      // A corrupt state file names no process to stop; --purge deletes it anyway.
      const st = readState(paths, opts.purge === true);
      if (st !== null) {
        await stopComponents(st.components, log);
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
    const running = components.length === 6 && components.every((c) => c.alive);
    const ready = running && (await isReady(paths));
    return { running, ready, components, kubeconfig: paths.kubeconfig, server: st.server, stateDir: paths.stateDir };
  });
}

/**
 * Shell text that points kubectl at the cluster: `export KUBECONFIG=...` and puts the matching kubectl
 * first on PATH. Throws when the cluster is not running.
 */
export async function env(opts: LocalClusterOptions = {}): Promise<string> {
  const paths = pathsOf(opts);
  if (!(await status(opts)).running) throw notRunning(paths);
  return `export KUBECONFIG=${shq(paths.kubeconfig)}\nexport PATH=${shq(paths.binDir)}:"$PATH"\n`;
}
