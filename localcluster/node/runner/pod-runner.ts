/**
 * Runs a pod as local processes, the way a kubelet would run it:
 *
 * - each container's command/args run with its programs mapped onto the host, with Kubernetes' `$(VAR)`
 *   expansion; without a command, the image profile's ENTRYPOINT/CMD (Kubernetes' rule); env `value`s, `valueFrom`
 *   (secretKeyRef, configMapKeyRef, fieldRef) and `envFrom` are resolved from the pod's ConfigMaps and Secrets
 *   (command.ts, expand.ts);
 * - ConfigMap/Secret/projected volumes become files (items and modes honoured; a projected service account token is
 *   one the caller requested), emptyDirs fresh directories per pod start, PVCs the directory the caller maps each
 *   claim to; every mount path is rewritten to its host directory wherever it appears as a path in args, env values
 *   and the ConfigMap files a container mounts (volumes.ts);
 * - containers run as the rendered user where the image profile asks for it and the runner is root (host.ts);
 * - with a `PodNetwork`, every container joins the pod's own network namespace (its ports are its own, as in a
 *   pod), and probes reach it through the network's connector;
 * - readiness is the rendered readinessProbe (and startupProbe) of each container, httpGet or tcpSocket (probes.ts);
 * - stop is SIGTERM to each container's main process, SIGKILL of its process group after the grace period
 *   (process.ts).
 *
 * `PodRunner` is one pod identity: `start()` runs it whole (the real-Chroma tests), and `prepare()` +
 * `startContainer()` are the steps the local node's agent drives one container at a time (restarts, probes).
 */
import { chmodSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { containerArgv, containerEnv } from "./command.ts";
import { podIdentity, type ImageProfile, type PodIdentity } from "./host.ts";
import type { Container, DataByName, PodData, PodSpec, Volume } from "./pod-spec.ts";
import { probeTargets, waitReady, type PodConnector, type ProbeTarget } from "./probes.ts";
import { describeExit, spawnContainer, type ContainerExit, type PodEntry, type RunningContainer } from "./process.ts";
import { containerMounts, podVolumes, workingDir, writeFileVolumes } from "./volumes.ts";

export { expandK8s, rewritePaths } from "./expand.ts";
export type { ImageProfile } from "./host.ts";
export { PodStartError, type Container, type PodSpec } from "./pod-spec.ts";
export { probeAction, probeOnce, sleep, type ProbeTarget } from "./probes.ts";
export { describeExit, filesIn, type RunningContainer } from "./process.ts";

/** The pod's own network: how its containers enter it and how the host reaches its ports. */
export interface PodNetwork {
  readonly entry: PodEntry;
  readonly connect: PodConnector;
}

/** What a pod reads besides its spec: ConfigMaps and Secrets by name, its name, and where each claim's data lives. */
export interface PodSource {
  readonly spec: PodSpec;
  readonly podName: string;
  /** Default: "default". */
  readonly namespace?: string;
  /** Tokens of the pod's service account by audience, for projected serviceAccountToken sources (none by default). */
  readonly tokens?: ReadonlyMap<string, string>;
  readonly maps: DataByName;
  /** Mutable: the real-Chroma tests swap credentials between starts, as one would edit the Secret. */
  readonly secrets: Map<string, Record<string, string>>;
  /** Host directory of a PersistentVolumeClaim (volumeClaimTemplates included). */
  claimDir(claim: string): string;
  /** The names of the StatefulSet's volumeClaimTemplates (volumes a pod of it has without listing them). */
  readonly claims?: readonly string[];
}

export interface RunnerOptions {
  /** Chooses the profile of a container by its image reference. */
  readonly imageProfile: (image: string, container: string) => ImageProfile;
  /** Where the pod's directories go. */
  readonly baseDir: string;
  /** Readiness deadline per start (ms). */
  readonly readyTimeoutMs?: number;
  /** Grace period on stop (ms); default: the rendered terminationGracePeriodSeconds. */
  readonly graceMs?: number;
  /** Transforms the pod spec before running it (used only to run the image's ENTRYPOINT with the rendered command as its args). */
  readonly transformPod?: (spec: PodSpec) => PodSpec;
  /** Receives the runner's own lines (each container's command as started). */
  readonly log?: (line: string) => void;
  /** The pod's own network namespace; without one, containers share the host's network. */
  readonly network?: PodNetwork;
}

export interface RunningPod {
  readonly containers: ReadonlyMap<string, RunningContainer>;
  /** Every rendered probe, resolved to a port of the pod. */
  readonly probes: readonly ProbeTarget[];
  /** Per container: mount path → host dir (for assertions and debugging). */
  readonly mounts: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** The working directory each container ran in (stand-in for its read-only root filesystem). */
  readonly workDirs: ReadonlyMap<string, string>;
  log(container?: string): string;
  /** SIGTERM every container, SIGKILL after the grace period; resolves with each container's exit. */
  stop(): Promise<Map<string, ContainerExit>>;
}

/** What one start of the pod shares between its containers. */
export interface PodStart {
  readonly startDir: string;
  readonly identity: PodIdentity;
  /** Pod-level volumes (emptyDirs, PVCs) by volume name → host dir. */
  readonly shared: ReadonlyMap<string, string>;
  readonly volumes: ReadonlyMap<string, Volume>;
  readonly sources: PodData;
}

/** One started container: its process, mounts, working dir and probes. */
export interface StartedContainer {
  readonly container: RunningContainer;
  readonly mounts: Map<string, string>;
  readonly workDir: string;
  readonly probes: ProbeTarget[];
}

/** One pod identity: its spec and sources, kept across `start()` calls (a restart = stop + start, fresh emptyDirs). */
export class PodRunner {
  readonly baseDir: string;
  private starts = 0;

  constructor(
    readonly source: PodSource,
    readonly options: RunnerOptions,
  ) {
    this.baseDir = options.baseDir;
    mkdirSync(this.baseDir, { recursive: true });
    chmodSync(this.baseDir, 0o755);
  }

  get secrets(): Map<string, Record<string, string>> {
    return this.source.secrets;
  }

  /** The pod spec (after `transformPod`). */
  podSpec(): PodSpec {
    const spec = structuredClone(this.source.spec);
    return this.options.transformPod ? this.options.transformPod(spec) : spec;
  }

  /** Starts the pod's containers; resolves when every probe-less container runs and every probe answers. */
  async start(): Promise<RunningPod> {
    const spec = this.podSpec();
    const start = this.prepare(spec);
    const containers = new Map<string, RunningContainer>();
    const mounts = new Map<string, Map<string, string>>();
    const workDirs = new Map<string, string>();
    const probes: ProbeTarget[] = [];
    try {
      for (const c of spec.containers) {
        const started = this.startContainer(c, start);
        containers.set(c.name, started.container);
        mounts.set(c.name, started.mounts);
        workDirs.set(c.name, started.workDir);
        probes.push(...started.probes);
      }
    } catch (error) {
      await Promise.all([...containers.values()].map((c) => c.stop(2000)));
      throw error;
    }
    const grace = this.options.graceMs ?? (spec.terminationGracePeriodSeconds ?? 30) * 1000;
    const pod: RunningPod = {
      containers,
      probes,
      mounts,
      workDirs,
      log: (name?: string) =>
        name ? (containers.get(name)?.log ?? "") : [...containers.values()].map((c) => `----- ${c.name} (${describeExit(c.exit)})\n${c.log}`).join("\n"),
      stop: async () => new Map(await Promise.all([...containers.values()].map(async (c) => [c.name, await c.stop(grace)] as const))),
    };
    try {
      await waitReady(probes, containers, this.options.readyTimeoutMs ?? 90_000, () => pod.log(), this.options.network?.connect);
    } catch (error) {
      await pod.stop();
      throw error;
    }
    return pod;
  }

  /** Removes the pod's directories. */
  cleanup(): void {
    rmSync(this.baseDir, { recursive: true, force: true });
  }

  private profileOf(c: Container): ImageProfile {
    return this.options.imageProfile(c.image, c.name);
  }

  /** A fresh directory for this start, who runs as whom, and the pod-level volumes. */
  prepare(spec: PodSpec): PodStart {
    const startDir = join(this.baseDir, `start-${++this.starts}`);
    mkdirSync(startDir, { recursive: true });
    chmodSync(startDir, 0o755);
    const all = [...(spec.initContainers ?? []), ...spec.containers];
    const identity = podIdentity({ ...spec, containers: all }, (c) => this.profileOf(c));
    return {
      startDir,
      identity,
      shared: podVolumes(spec, this.source.claims ?? [], startDir, (claim) => this.source.claimDir(claim), identity.shareDir),
      volumes: new Map((spec.volumes ?? []).map((v) => [v.name, v])),
      sources: {
        maps: this.source.maps,
        secrets: this.source.secrets,
        podName: this.source.podName,
        namespace: this.source.namespace ?? "default",
        tokens: this.source.tokens ?? new Map(),
      },
    };
  }

  /** Mounts, files, env, argv and working dir of one container, then its process and its probes. */
  startContainer(c: Container, start: PodStart): StartedContainer {
    const profile = this.profileOf(c);
    const containerDir = join(start.startDir, "containers", c.name);
    mkdirSync(containerDir, { recursive: true });
    chmodSync(containerDir, 0o755);
    const user = start.identity.runAs(c);
    const { mounts, fileVolumes } = containerMounts(c, start.shared, start.volumes, containerDir);
    writeFileVolumes(fileVolumes, mounts, start.sources);
    const env = containerEnv(c, profile, mounts, start.sources);
    const argv = containerArgv(c, profile, mounts, env);
    const cwd = workingDir(c, mounts, containerDir, user, start.identity.fsGroup);
    const container = spawnContainer(c.name, argv, env, cwd, user, join(containerDir, "output.log"), this.options.network?.entry);
    this.options.log?.(`runner: started ${c.name}: ${argv.join(" ")}`);
    return { container, mounts, workDir: cwd, probes: probeTargets(c) };
  }
}
