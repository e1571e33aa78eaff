/**
 * The local node's agent: a process of the local cluster (started by `up` beside kwok) that plays the kubelet of
 * node `local-node`. It registers the node and keeps its Lease fresh, runs every pod bound to the node as local
 * processes (pod-worker.ts), provisions a volume for each claim of the local StorageClass (provisioner.ts), and puts
 * each Service of its pods on a loopback port (services.ts). Reads are polls (once a second): a small local cluster,
 * and no watch to resume after a restart of the API server.
 *
 * A crash leaves no processes behind to run twice on one volume: the process groups it starts are recorded in
 * `<stateDir>/node/processes.json`, and a new agent kills what is recorded there before it starts anything.
 */
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { KubeClient } from "../../engine/kube/client.ts";
import type { LocalClusterPaths } from "../paths.ts";
import { componentKubeconfig } from "../kubeconfig.ts";
import { AGENT_FIELD_MANAGER, applyNode, heartbeat, markNotReady, PROCESS_NODE_NAME, type Pod } from "./kube.ts";
import { PodWorker } from "./pod-worker.ts";
import { provisionPending } from "./provisioner.ts";
import { sleep } from "./runner/pod-runner.ts";
import { ServiceForwarder } from "./services.ts";

/**
 * Where the node keeps the processes it runs and the Services' loopback ports (the state dir), and its pods'
 * directories: under the temp dir, in a directory others may traverse but not list (0711), because a container that
 * runs as the rendered non-root user (the nginx proxy, when the node runs as root) must reach its files, and the
 * state dir is usually under a home directory others cannot enter. Each pod's directory is named by its uid.
 */
function nodePaths(paths: LocalClusterPaths) {
  const dir = join(paths.stateDir, "node");
  const uid = process.getuid?.() ?? 0;
  const base = join(tmpdir(), `chroma-mod-node-${uid}`);
  const pods = join(base, createHash("sha256").update(paths.stateDir).digest("hex").slice(0, 12), "pods");
  return { dir, base, pods, processes: join(dir, "processes.json"), services: join(dir, "services.json") };
}

/** The start time of a process (field 22 of /proc/<pid>/stat): a pid and its start time name one process for good. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/**
 * Kills every process group a previous agent recorded and did not stop (it crashed or was killed), when its leader
 * is still that very process (after a reboot the pid may be another program's).
 */
function killLeftovers(file: string, log: (line: string) => void): void {
  let recorded: { pid: number; start: string }[] = [];
  try {
    recorded = JSON.parse(readFileSync(file, "utf8")) as { pid: number; start: string }[];
  } catch {
    return;
  }
  for (const { pid, start } of recorded) {
    if (startTime(pid) !== start) continue;
    try {
      process.kill(-pid, "SIGKILL");
      log(`killed process group ${pid} left by a previous run of the node agent`);
    } catch {
      /* gone */
    }
  }
}

export async function runAgent(paths: LocalClusterPaths, log: (line: string) => void): Promise<void> {
  const np = nodePaths(paths);
  mkdirSync(np.dir, { recursive: true });
  mkdirSync(np.pods, { recursive: true });
  for (const d of [np.base, dirname(np.pods), np.pods]) chmodSync(d, 0o711);
  killLeftovers(np.processes, log);
  const tracked = new Map<number, string>();
  const saveTracked = () => {
    writeFileSync(`${np.processes}.tmp`, JSON.stringify([...tracked].map(([pid, start]) => ({ pid, start }))));
    renameSync(`${np.processes}.tmp`, np.processes);
  };
  saveTracked();
  const client = KubeClient.load({
    kubeconfig: componentKubeconfig(paths, "local-node"),
    fieldManager: AGENT_FIELD_MANAGER,
    userAgent: AGENT_FIELD_MANAGER,
    retry: { attempts: 3 },
    requestTimeoutMs: 10_000,
  });
  const workers = new Map<string, PodWorker>();
  let nextIP = 1;
  const forwarder = new ServiceForwarder(client, np.services, () => workers.values(), log);
  let stopping = false;

  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    log("stopping: every pod's processes (grace period at most 8 s)");
    forwarder.close();
    await Promise.all([...workers.values()].map((w) => w.stop(false, 8000)));
    client.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown());
  process.on("SIGINT", () => void shutdown());

  // Before the node says Ready: the pods it ran before are not running (yet), whatever their status says.
  for (const pod of (await client.list("v1", "Pod", { fieldSelector: `spec.nodeName=${PROCESS_NODE_NAME}` })) as Pod[]) {
    if (!pod.metadata.deletionTimestamp) await markNotReady(client, pod);
  }
  await applyNode(client, PROCESS_NODE_NAME, paths.k8sVersion);
  log(`node ${PROCESS_NODE_NAME} registered`);

  const every = (ms: number, what: string, fn: () => Promise<unknown>) => {
    void (async () => {
      while (!stopping) {
        try {
          await fn();
        } catch (e) {
          log(`${what}: ${(e as Error).message}`);
        }
        await sleep(ms);
      }
    })();
  };

  every(10_000, "heartbeat", () => heartbeat(client, PROCESS_NODE_NAME, paths.k8sVersion));
  every(1000, "provisioner", () => provisionPending(client, paths.pvDir, log));
  every(1000, "services", () => forwarder.sync());
  every(1000, "pods", async () => {
    const pods = (await client.list("v1", "Pod", { fieldSelector: `spec.nodeName=${PROCESS_NODE_NAME}` })) as Pod[];
    const seen = new Set<string>();
    for (const pod of pods) {
      const uid = pod.metadata.uid;
      seen.add(uid);
      let worker = workers.get(uid);
      if (!worker) {
        if (pod.metadata.deletionTimestamp) {
          // Deleted before it ever ran here: nothing to stop.
          worker = new PodWorker(pod, context(`10.245.${Math.floor(nextIP / 250)}.${(nextIP++ % 250) + 1}`));
          workers.set(uid, worker);
          void worker.stop(true).then(() => workers.delete(uid));
          continue;
        }
        log(`pod ${pod.metadata.namespace}/${pod.metadata.name}: starting`);
        worker = new PodWorker(pod, context(`10.245.${Math.floor(nextIP / 250)}.${(nextIP++ % 250) + 1}`));
        workers.set(uid, worker);
        continue;
      }
      worker.update(pod);
      if (pod.metadata.deletionTimestamp) {
        log(`pod ${worker.key}: deleted, stopping`);
        const w = worker;
        void w.stop(true).then(() => {
          workers.delete(uid);
          log(`pod ${w.key}: stopped`);
        });
      }
    }
    // Gone from the API without this node's final delete (a forced deletion): stop its processes.
    for (const [uid, worker] of workers) {
      if (!seen.has(uid)) {
        void worker.stop(false).then(() => workers.delete(uid));
      }
    }
  });

  function context(podIP: string) {
    return {
      client,
      nodeName: PROCESS_NODE_NAME,
      podsDir: np.pods,
      cacheDir: paths.cacheDir,
      podIP,
      log,
      track: (pgid: number, on: boolean) => {
        const start = on ? startTime(pgid) : undefined;
        if (start !== undefined) tracked.set(pgid, start);
        else tracked.delete(pgid);
        saveTracked();
      },
    };
  }
  // Runs until SIGTERM.
  await new Promise(() => {});
}
