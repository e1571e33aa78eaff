/**
 * A local-node pod's status as a kubelet reports it: phase, conditions, pod IP, and per container its state
 * (running, or waiting with a reason), readiness, restarts and last termination.
 */
import type { Pod } from "./kube.ts";
import type { Container, ProbeTarget, RunningContainer } from "./runner/pod-runner.ts";

/** What the worker knows of one container. */
export interface ContainerState {
  readonly spec: Container;
  running?: RunningContainer;
  startedAt?: string;
  restartCount: number;
  ready: boolean;
  started: boolean;
  last?: Record<string, unknown>;
  waiting?: { reason: string; message?: string };
  probes: ProbeTarget[];
  /** Consecutive failures per probe kind, and the time of the next probe. */
  failures: Record<string, number>;
  nextProbe: Record<string, number>;
  restartAt?: number;
  killing?: boolean;
}

/** The worker's view of the pod the status is built from. */
export interface PodView {
  readonly phase: string;
  readonly ready: boolean;
  readonly initDone: boolean;
  /** The pod's network namespace exists. */
  readonly sandbox: boolean;
  readonly podIP: string;
  readonly startTime?: string | undefined;
  /** Every container waits for this reason (none started). */
  readonly waitingAll?: { reason: string; message: string } | undefined;
}

export function podStatus(pod: Pod, states: ReadonlyMap<string, ContainerState>, view: PodView) {
  const containers = pod.spec.containers.map((c) => {
    const s = states.get(c.name);
    const state = view.waitingAll
      ? { waiting: view.waitingAll }
      : s?.running
        ? { running: { startedAt: s.startedAt } }
        : { waiting: s?.waiting ?? { reason: "PodInitializing" } };
    return {
      name: c.name,
      image: c.image,
      imageID: `chroma-mod-local://${c.image}`,
      ...(s?.running ? { containerID: `chroma-mod-local://${s.running.child.pid}` } : {}),
      ready: s?.ready ?? false,
      started: s?.started ?? false,
      restartCount: s?.restartCount ?? 0,
      state,
      lastState: s?.last ?? {},
    };
  });
  const ready = view.ready;
  const allReady = states.size > 0 && containers.every((c) => c.ready);
  const cond = (type: string, status: boolean, reason?: string) => ({ type, status: status ? "True" : "False", ...(reason && !status ? { reason } : {}) });
  const conditions = [
    cond("PodReadyToStartContainers", view.sandbox),
    cond("Initialized", view.initDone, "ContainersNotInitialized"),
    cond("Ready", ready, "ContainersNotReady"),
    cond("ContainersReady", allReady && view.phase === "Running", "ContainersNotReady"),
    cond("PodScheduled", true),
  ];
  const status = {
    phase: view.phase,
    conditions,
    hostIP: "127.0.0.1",
    hostIPs: [{ ip: "127.0.0.1" }],
    ...(view.sandbox ? { podIP: view.podIP, podIPs: [{ ip: view.podIP }] } : {}),
    ...(view.startTime ? { startTime: view.startTime } : {}),
    containerStatuses: containers,
  };
  return status;
}
