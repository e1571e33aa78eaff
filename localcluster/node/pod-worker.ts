/**
 * One pod on the local node, run as a kubelet runs it: images mapped to host programs (a pod with an image the node
 * cannot run stays Pending, with an event that says what it can run), its ConfigMaps and Secrets read through the
 * API server (and its service account token requested there, when a projected volume mounts one), its claims
 * mapped to the bound PersistentVolumes' directories, its own network namespace, init containers first, then the
 * containers; startup, readiness and liveness probes (httpGet, tcpSocket) with the rendered periods and thresholds;
 * a container that exits or fails its liveness probe is restarted with back-off (10 s doubling to 5 min, as the
 * kubelet); its status and events written through the API server. Deletion stops its processes (SIGTERM, the grace
 * period, SIGKILL), then deletes the pod object.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { KubeClient } from "../../engine/kube/client.ts";
import { chromaProfile, imageKind, missingPrograms, nginxProfile, RUNNABLE_IMAGES } from "./images.ts";
import { finalizeDeletion, patchPodStatus, podEvent, timestamp, type Pod } from "./kube.ts";
import {
  describeExit,
  PodRunner,
  PodStartError,
  probeAction,
  probeOnce,
  sleep,
  type Container,
  type ImageProfile,
  type PodStart,
  type RunningContainer,
} from "./runner/pod-runner.ts";
import { claimDirs, podSources, podTokens } from "./pod-sources.ts";
import { podStatus, type ContainerState } from "./pod-status.ts";
import { Sandbox } from "./sandbox.ts";
import { ensureVenv, pypiStandIn } from "./venv.ts";

export interface WorkerContext {
  readonly client: KubeClient;
  readonly nodeName: string;
  readonly podsDir: string;
  readonly cacheDir: string;
  readonly podIP: string;
  readonly log: (line: string) => void;
  /** Records (and forgets) a process group the node must kill if it restarts without stopping it (a crash). */
  readonly track: (pgid: number, on: boolean) => void;
}

const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;

export class PodWorker {
  private stopped = false;
  private sandbox?: Sandbox;
  private runner?: PodRunner;
  private start?: PodStart;
  private readonly states = new Map<string, ContainerState>();
  private phase = "Pending";
  private startTime?: string;
  private lastStatus = "";
  private initDone = false;
  private initRunning?: RunningContainer;
  readonly done: Promise<void>;

  constructor(
    private pod: Pod,
    private readonly ctx: WorkerContext,
  ) {
    this.done = this.main().catch((e: Error) => ctx.log(`pod ${this.key}: ${e.stack ?? e.message}`));
  }

  get key(): string {
    return `${this.pod.metadata.namespace}/${this.pod.metadata.name}`;
  }

  /** The running pod's connector (Services forward through it) when it is Ready. */
  get network(): Sandbox | undefined {
    return this.sandbox;
  }

  get ready(): boolean {
    return this.phase === "Running" && this.states.size > 0 && [...this.states.values()].every((s) => s.ready);
  }

  get labels(): Record<string, string> {
    return this.pod.metadata.labels ?? {};
  }

  get namespace(): string {
    return this.pod.metadata.namespace!;
  }

  get spec(): Pod["spec"] {
    return this.pod.spec;
  }

  update(pod: Pod): void {
    this.pod = pod;
  }

  private event(type: "Normal" | "Warning", reason: string, message: string): void {
    void podEvent(this.ctx.client, this.ctx.nodeName, this.pod, type, reason, message).catch(() => {});
  }

  /** Profiles for every image of the pod, or undefined (with status and event) when one cannot run here. */
  private async profiles(): Promise<Map<string, ImageProfile> | undefined> {
    const all = [...(this.pod.spec.initContainers ?? []), ...this.pod.spec.containers];
    const out = new Map<string, ImageProfile>();
    for (const c of all) {
      const kind = imageKind(c.image);
      const missing = missingPrograms(kind.kind);
      if (kind.kind === "unknown" || missing.length > 0) {
        const message =
          kind.kind === "unknown"
            ? `The local node cannot run image ${c.image} (container ${c.name}): it runs ${RUNNABLE_IMAGES}.`
            : `The local node cannot run image ${c.image}: ${missing.join(", ")} missing on this machine (install them, e.g. apt-get install nginx dumb-init).`;
        this.event("Warning", "Failed", message);
        await this.writeStatus({ waitingAll: { reason: "ErrImageNeverPull", message } });
        return undefined;
      }
      if (kind.kind === "nginx") out.set(c.image, nginxProfile());
      else {
        let venv: string;
        // An image-only release (no wheel) runs from its PyPI stand-in; say so where the install is announced.
        const wheel = pypiStandIn(kind.version);
        const what = wheel === kind.version ? `chromadb==${wheel}` : `chromadb==${wheel} (Chroma ${kind.version} has no PyPI release; ${wheel} stands in)`;
        try {
          venv = await ensureVenv(wheel, {
            cacheDir: this.ctx.cacheDir,
            log: (line) => {
              this.ctx.log(`pod ${this.key}: ${line}`);
              if (/installing/.test(line)) {
                this.event("Normal", "Pulling", `Installing ${what} into a virtualenv (first use of this version, a few minutes): ${line}`);
                void this.writeStatus({ waitingAll: { reason: "ContainerCreating", message: `installing ${what}` } });
              }
            },
          });
        } catch (e) {
          const message = `Cannot install ${what} for image ${c.image}: ${(e as Error).message}`;
          this.event("Warning", "Failed", message);
          await this.writeStatus({ waitingAll: { reason: "ErrImagePull", message } });
          return undefined;
        }
        out.set(c.image, chromaProfile(venv, kind.version));
      }
    }
    return out;
  }

  private async main(): Promise<void> {
    // Nothing of this pod runs yet on this node (a new pod, or the node started again): not ready until it is.
    if (this.pod.status?.phase === "Running") this.phase = "Running";
    await this.writeStatus({ waitingAll: { reason: "ContainerCreating", message: "starting on the local node" } });
    const profiles = await this.profiles();
    if (!profiles || this.stopped) return;
    let prepared: { maps: Map<string, Record<string, string>>; secrets: Map<string, Record<string, string>>; dirs: Map<string, string> } | undefined;
    for (let attempt = 0; !this.stopped; attempt++) {
      const dirs = await claimDirs(this.ctx.client, this.pod);
      const { maps, secrets } = await podSources(this.ctx.client, this.pod);
      if (typeof dirs !== "string") {
        prepared = { maps, secrets, dirs };
        break;
      }
      if (attempt === 0) this.event("Warning", "FailedMount", dirs);
      await this.writeStatus({ waitingAll: { reason: "ContainerCreating", message: dirs } });
      await sleep(1000);
    }
    if (!prepared || this.stopped) return;
    const { tokens, failed } = await podTokens(this.ctx.client, this.pod);
    if (failed) this.event("Warning", "FailedMount", failed);
    const podDir = join(this.ctx.podsDir, this.pod.metadata.uid);
    mkdirSync(podDir, { recursive: true });
    let sandbox: Sandbox;
    try {
      sandbox = await Sandbox.create(podDir);
    } catch (e) {
      const message = `${(e as Error).message} (the local node needs unshare and nsenter from util-linux and ip from iproute2; as a non-root user, unprivileged user namespaces)`;
      this.event("Warning", "FailedCreatePodSandBox", message);
      await this.writeStatus({ waitingAll: { reason: "ContainerCreating", message } });
      return;
    }
    this.ctx.track(sandbox.pid, true);
    if (this.stopped) {
      sandbox.stop();
      this.ctx.track(sandbox.pid, false);
      return;
    }
    this.sandbox = sandbox;
    const dirs = prepared.dirs;
    this.runner = new PodRunner(
      {
        spec: this.pod.spec,
        podName: this.pod.metadata.name,
        namespace: this.namespace,
        maps: prepared.maps,
        secrets: prepared.secrets,
        tokens,
        claimDir: (c) => dirs.get(c)!,
      },
      { imageProfile: (image) => profiles.get(image)!, baseDir: podDir, network: this.sandbox, log: (l) => this.ctx.log(`pod ${this.key}: ${l}`) },
    );
    this.startTime = timestamp();
    try {
      this.start = this.runner.prepare(this.runner.podSpec());
      for (const c of this.pod.spec.initContainers ?? []) {
        if (!(await this.runInit(c))) return;
      }
    } catch (e) {
      await this.failedConfig(e as Error);
      return;
    }
    this.initDone = true;
    for (const c of this.pod.spec.containers)
      this.states.set(c.name, { spec: c, restartCount: 0, ready: false, started: false, probes: [], failures: {}, nextProbe: {} });
    this.phase = "Running";
    for (const s of this.states.values()) this.startContainer(s);
    while (!this.stopped) {
      await this.tick();
      await this.writeStatus();
      await sleep(500);
    }
  }

  private async failedConfig(e: Error): Promise<void> {
    const message = e instanceof PodStartError ? e.message : `${e.message}`;
    this.event("Warning", "Failed", `Error: ${message}`);
    await this.writeStatus({ waitingAll: { reason: "CreateContainerConfigError", message } });
  }

  /** An init container to completion; failures are retried with back-off until it succeeds or the pod goes. */
  private async runInit(c: Container): Promise<boolean> {
    for (let n = 0; !this.stopped; n++) {
      const started = this.runner!.startContainer(c, this.start!);
      this.ctx.track(started.container.child.pid!, true);
      this.initRunning = started.container;
      const exit = await started.container.exited;
      this.initRunning = undefined;
      this.ctx.track(started.container.child.pid!, false);
      if (exit.code === 0) return true;
      this.event("Warning", "BackOff", `Back-off restarting failed init container ${c.name} (${describeExit(exit)})`);
      await sleep(Math.min(BACKOFF_BASE_MS * 2 ** n, BACKOFF_MAX_MS));
    }
    return false;
  }

  private startContainer(s: ContainerState): void {
    if (this.stopped) return;
    try {
      const started = this.runner!.startContainer(s.spec, this.start!);
      s.running = started.container;
      s.probes = started.probes;
      this.ctx.track(started.container.child.pid!, true);
      s.startedAt = timestamp();
      s.started = !s.probes.some((p) => p.kind === "startup");
      s.ready = false;
      s.failures = {};
      s.waiting = undefined;
      const t = Date.now();
      for (const p of s.probes) s.nextProbe[p.kind] = t + (p.probe.initialDelaySeconds ?? 0) * 1000;
      this.event("Normal", "Started", `Started container ${s.spec.name}`);
    } catch (e) {
      s.waiting = { reason: "CreateContainerConfigError", message: (e as Error).message };
      s.restartAt = Date.now() + BACKOFF_BASE_MS;
      this.event("Warning", "Failed", `Error: ${(e as Error).message}`);
    }
  }

  /** One round: exits noticed, restarts due, probes due. */
  private async tick(): Promise<void> {
    const t = Date.now();
    await Promise.all(
      [...this.states.values()].map(async (s) => {
        if (s.running?.exit && !s.killing) this.exited(s);
        if (!s.running) {
          if (s.restartAt !== undefined && t >= s.restartAt && !this.stopped) this.startContainer(s);
          return;
        }
        await this.probe(s, t);
      }),
    );
  }

  private exited(s: ContainerState): void {
    const exit = s.running!.exit!;
    this.ctx.track(s.running!.child.pid!, false);
    s.last = {
      terminated: {
        exitCode: exit.code ?? 128 + signalNumber(exit.signal),
        ...(exit.signal ? { signal: signalNumber(exit.signal) } : {}),
        reason: exit.code === 0 ? "Completed" : "Error",
        startedAt: s.startedAt,
        finishedAt: timestamp(),
      },
    };
    s.running = undefined;
    s.ready = false;
    const delay = Math.min(BACKOFF_BASE_MS * 2 ** Math.min(s.restartCount, 5), BACKOFF_MAX_MS);
    s.restartCount++;
    s.restartAt = Date.now() + delay;
    s.waiting = { reason: "CrashLoopBackOff", message: `back-off ${delay / 1000}s restarting failed container=${s.spec.name}` };
    this.event("Warning", "BackOff", `Container ${s.spec.name} exited (${describeExit(exit)}); restarting in ${delay / 1000}s`);
  }

  private async probe(s: ContainerState, t: number): Promise<void> {
    for (const p of s.probes) {
      if (p.kind === "startup" && s.started) continue;
      if (p.kind !== "startup" && !s.started) continue;
      if (t < (s.nextProbe[p.kind] ?? 0)) continue;
      s.nextProbe[p.kind] = t + (p.probe.periodSeconds ?? 10) * 1000;
      const ok = await probeOnce(p, (p.probe.timeoutSeconds ?? 1) * 1000, this.sandbox!.connect);
      if (!s.running || s.killing) return;
      if (ok) {
        s.failures[p.kind] = 0;
        if (p.kind === "startup") {
          s.started = true;
          const now = Date.now();
          for (const q of s.probes) if (q.kind !== "startup") s.nextProbe[q.kind] = now;
        }
        if (p.kind === "readiness") s.ready = true;
        continue;
      }
      const failures = (s.failures[p.kind] ?? 0) + 1;
      s.failures[p.kind] = failures;
      if (p.kind === "readiness") s.ready = false;
      const threshold = p.probe.failureThreshold ?? 3;
      if (failures === 1 || failures >= threshold)
        this.event("Warning", "Unhealthy", `${cap(p.kind)} probe failed: ${probeAction(p)} (${failures}/${threshold})`);
      if (p.kind !== "readiness" && failures >= threshold) {
        await this.kill(s, `Container ${s.spec.name} failed ${p.kind} probe, will be restarted`);
        return;
      }
    }
    // A container without a readiness probe is ready once started (as the kubelet).
    if (!s.probes.some((p) => p.kind === "readiness")) s.ready = s.started;
  }

  private async kill(s: ContainerState, why: string): Promise<void> {
    this.event("Normal", "Killing", why);
    s.killing = true;
    await s.running!.stop(this.graceMs());
    s.killing = false;
    this.exited(s);
  }

  private graceMs(): number {
    return (this.pod.metadata.deletionGracePeriodSeconds ?? this.pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
  }

  /** Writes the pod status when it changed. `waitingAll`: every container waits for this reason (not started). */
  private async writeStatus(opts: { waitingAll?: { reason: string; message: string } } = {}): Promise<void> {
    if (this.stopped && !opts.waitingAll) return;
    const status = podStatus(this.pod, this.states, {
      phase: this.phase,
      ready: this.ready,
      initDone: this.initDone,
      sandbox: this.sandbox !== undefined,
      podIP: this.ctx.podIP,
      startTime: this.startTime,
      waitingAll: opts.waitingAll,
    });
    const text = JSON.stringify(status);
    if (text === this.lastStatus) return;
    // lastTransitionTime only when the conditions change (compare without it).
    const stamped = { ...status, conditions: status.conditions.map((c) => ({ ...c, lastProbeTime: null, lastTransitionTime: timestamp() })) };
    try {
      await patchPodStatus(this.ctx.client, this.pod, stamped);
      this.lastStatus = text;
    } catch (e) {
      this.ctx.log(`pod ${this.key}: status not written: ${(e as Error).message}`);
    }
  }

  /** Stops every process (SIGTERM, the grace period, SIGKILL); with `finalize`, deletes the pod object after. */
  async stop(finalize: boolean, graceCapMs = Number.POSITIVE_INFINITY): Promise<void> {
    if (this.stopped) return this.done;
    this.stopped = true;
    const grace = Math.min(this.graceMs(), graceCapMs);
    const running = [...this.states.values()].filter((s) => s.running);
    if (running.length > 0 && finalize)
      this.event("Normal", "Killing", `Stopping container${running.length > 1 ? "s" : ""} ${running.map((s) => s.spec.name).join(", ")}`);
    if (this.initRunning) await this.initRunning.stop(grace);
    await Promise.all(
      running.map(async (s) => {
        s.killing = true;
        await s.running!.stop(grace);
        this.ctx.track(s.running!.child.pid!, false);
      }),
    );
    if (this.sandbox) {
      this.sandbox.stop();
      this.ctx.track(this.sandbox.pid, false);
    }
    // The worker may still be installing a virtualenv: it stops by itself at its next step.
    await Promise.race([this.done, sleep(5000)]);
    if (finalize) {
      try {
        await finalizeDeletion(this.ctx.client, this.pod);
      } catch (e) {
        this.ctx.log(`pod ${this.key}: final delete failed: ${(e as Error).message}`);
      }
    }
  }
}

function cap(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const numbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGSEGV: 11, SIGTERM: 15 };
  return signal ? (numbers[signal] ?? 0) : 0;
}
