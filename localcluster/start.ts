/**
 * One start of the control plane, in order: ports, kubeconfigs and config files, etcd, kube-apiserver, the bootstrap
 * objects, then kube-controller-manager, kube-scheduler and kwok, each waited for. What it started is recorded in
 * the state file as it goes; on any failure it is stopped again.
 */
import { adminClient, readyz, refusals } from "./api.ts";
import { bootstrapObjects, defaultServiceAccount, LOCAL_NODE_NAME, nodeReady, STORAGE_CLASS, statefulSetsCaughtUp } from "./bootstrap.ts";
import { apiserver } from "./components/apiserver.ts";
import type { Component, StartContext } from "./components/component.ts";
import { controllerManager } from "./components/controller-manager.ts";
import { etcd, etcdUrl } from "./components/etcd.ts";
import { kwok } from "./components/kwok.ts";
import { localNode } from "./components/local-node.ts";
import { PROCESS_NODE_NAME } from "./node/kube.ts";
import { scheduler } from "./components/scheduler.ts";
import { writeKubeconfigs } from "./kubeconfig.ts";
import { writeConfigFiles } from "./manifests.ts";
import type { LocalClusterPaths } from "./paths.ts";
import { pickPorts, serverUrl } from "./ports.ts";
import { healthy, startProcess, stopComponents, waitFor } from "./process.ts";
import { purgeCommand } from "./report.ts";
import { writeState, type StateFile } from "./state.ts";
import type { ClusterPorts, ComponentState } from "./types.ts";

export interface StartParams {
  log: (line: string) => void;
  deadline: number;
}

export async function startOnce(paths: LocalClusterPaths, sp: StartParams, prevPorts: ClusterPorts | undefined): Promise<StateFile> {
  const { log, deadline } = sp;
  const startedAt = new Date();
  const ports = await pickPorts(prevPorts);
  const server = serverUrl(ports);
  const ctx: StartContext = { paths, ports };
  const st: StateFile = {
    version: 1,
    k8sVersion: paths.k8sVersion,
    binDir: paths.binDir,
    server,
    ports,
    components: [],
    startedAt: new Date().toISOString(),
  };
  const start = (c: Component): ComponentState => {
    const started = startProcess(paths, c.name, c.args(ctx), c.env?.(ctx), c.bin?.(ctx));
    st.components.push(started);
    writeState(paths, st);
    return started;
  };
  writeKubeconfigs(paths, server);
  writeConfigFiles(paths);
  const client = adminClient(paths);
  const purge = `\`${purgeCommand(paths)}\``;
  const readLog = (what: string): string => `read the ${what} log; a stale state dir is deleted with ${purge}, then run the command again`;

  try {
    log(`starting etcd on 127.0.0.1:${ports.etcd}`);
    const etcdState = start(etcd);
    await waitFor(
      "etcd /health",
      deadline,
      [etcdState],
      etcdState.log,
      `if the log says a port is in use, stop the program that holds it; if it names the data dir, delete the stale state with ${purge}; then run the command again`,
      () => healthy(`${etcdUrl(ports)}/health`),
    );

    log(`starting kube-apiserver on ${server}`);
    const apiserverState = start(apiserver);
    await waitFor("kube-apiserver /readyz", deadline, [etcdState, apiserverState], apiserverState.log, readLog("apiserver"), () => readyz(client));

    log(`applying node ${LOCAL_NODE_NAME} (kwok) and StorageClass ${STORAGE_CLASS}`);
    await refusals(paths, () => bootstrapObjects(client));

    log(`starting kube-controller-manager, kube-scheduler, kwok, the local node's agent (${PROCESS_NODE_NAME})`);
    const [kcmState, schedState, kwokState, nodeState] = [start(controllerManager), start(scheduler), start(kwok), start(localNode)];
    const all = [etcdState, apiserverState, kcmState, schedState, kwokState, nodeState];
    await waitFor("kube-controller-manager /healthz", deadline, all, kcmState.log, readLog("controller-manager"), () =>
      healthy(`https://127.0.0.1:${ports.controllerManager}/healthz`),
    );
    await waitFor("kube-scheduler /healthz", deadline, all, schedState.log, readLog("scheduler"), () =>
      healthy(`https://127.0.0.1:${ports.scheduler}/healthz`),
    );
    await waitFor(`node ${LOCAL_NODE_NAME} Ready (kwok)`, deadline, all, kwokState.log, readLog("kwok"), () => refusals(paths, () => nodeReady(client)));
    await waitFor(`node ${PROCESS_NODE_NAME} Ready (the local node's agent)`, deadline, all, nodeState.log, readLog("local-node"), () =>
      refusals(paths, () => nodeReady(client, PROCESS_NODE_NAME, startedAt)),
    );
    await waitFor("StatefulSets' ready replicas recounted (the controller manager)", deadline, all, kcmState.log, readLog("controller-manager"), () =>
      refusals(paths, () => statefulSetsCaughtUp(client)),
    );
    await waitFor("ServiceAccount default/default (controller manager)", deadline, all, kcmState.log, readLog("controller-manager"), () =>
      refusals(paths, () => defaultServiceAccount(client)),
    );
  } catch (e) {
    await stopComponents(st.components, log);
    st.stoppedAt = new Date().toISOString();
    writeState(paths, st);
    throw e;
  } finally {
    client.close();
  }
  st.readyAt = new Date().toISOString();
  writeState(paths, st);
  return st;
}
