/**
 * Runs the pod of a RENDERED Chroma instance as local processes, the way a kubelet would run it:
 *
 * - the StatefulSet's pod template is taken from `evaluate()`'s objects as they are (never a hand-written copy:
 *   runner/pod-spec.ts);
 * - each container's command/args run with its programs mapped onto the host, with Kubernetes' `$(VAR)`
 *   expansion; env `value`s and `valueFrom` (secretKeyRef, configMapKeyRef) are resolved from the rendered
 *   ConfigMaps and the generated Secrets (runner/command.ts, runner/expand.ts), filled by `fillSecretData` exactly
 *   as `apply` fills them (once per runner: restarts keep the credentials, as the cluster keeps the Secret);
 * - ConfigMap/Secret volumes become files, emptyDirs fresh directories per pod start, PVCs directories kept across
 *   restarts of the same runner; every mount path is rewritten to its host directory wherever it appears as a path
 *   in args, env values and the ConfigMap files a container mounts (runner/volumes.ts);
 * - containers run as the rendered user where the image profile asks for it (runner/host.ts);
 * - readiness is the rendered readinessProbe (and startupProbe) of each container, on 127.0.0.1 (runner/probes.ts);
 * - stop is SIGTERM to each container's main process, SIGKILL of its process group after the grace period
 *   (runner/process.ts).
 *
 * This file is the runner's entry point: `PodRunner` (one pod identity, `start()` in named steps) and the API the
 * tests use, re-exported from the files of each concern.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fillSecretData } from "../../engine/apply/generated.ts";
import type { GeneratedSecret, KubeObject } from "../../core/types.ts";
import { containerArgv, containerEnv, type EnvSources } from "./runner/command.ts";
import { podIdentity, type ImageProfile, type PodIdentity } from "./runner/host.ts";
import { configMaps, podSpecOf, statefulSetOf, type Container, type PodSpec, type Volume } from "./runner/pod-spec.ts";
import { probeTargets, waitReady, type ProbeTarget } from "./runner/probes.ts";
import { describeExit, spawnContainer, type ContainerExit, type RunningContainer } from "./runner/process.ts";
import { containerMounts, podVolumes, workingDir, writeFileVolumes } from "./runner/volumes.ts";

export { expandK8s, rewritePaths } from "./runner/expand.ts";
export type { ImageProfile } from "./runner/host.ts";
export { PodStartError, type PodSpec } from "./runner/pod-spec.ts";
export { probeOnce, sleep, type ProbeTarget } from "./runner/probes.ts";
export { filesIn } from "./runner/process.ts";

export interface RunnerOptions {
  /** Chooses the profile of a container by its image reference. */
  readonly imageProfile: (image: string, container: string) => ImageProfile;
  /** Where the pod's directories go (default: a new dir under the OS temp dir). */
  readonly baseDir?: string;
  /** Readiness deadline per start (ms). */
  readonly readyTimeoutMs?: number;
  /** Grace period on stop (ms); default: the rendered terminationGracePeriodSeconds. */
  readonly graceMs?: number;
  /** Transforms the pod spec before running it (used only to run the image's ENTRYPOINT with the rendered command as its args). */
  readonly transformPod?: (spec: PodSpec) => PodSpec;
  /** Receives the runner's own lines (each container's command as started). */
  readonly log?: (line: string) => void;
}

export interface RunningPod {
  readonly containers: ReadonlyMap<string, RunningContainer>;
  /** Every rendered probe, resolved to a loopback port. */
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
interface PodStart {
  readonly startDir: string;
  readonly identity: PodIdentity;
  /** Pod-level volumes (emptyDirs, PVCs) by volume name → host dir. */
  readonly shared: ReadonlyMap<string, string>;
  readonly volumes: ReadonlyMap<string, Volume>;
  readonly sources: EnvSources;
}

/** The containers started so far, and what the running pod reports about them. */
interface Started {
  readonly containers: Map<string, RunningContainer>;
  readonly mounts: Map<string, Map<string, string>>;
  readonly workDirs: Map<string, string>;
  readonly probes: ProbeTarget[];
}

/**
 * One pod identity: the rendered objects, their generated Secret data and the PVC directories, kept across
 * `start()` calls (a restart = stop + start: same Secret, same PVCs, fresh emptyDirs).
 */
export class PodRunner {
  readonly secrets: Map<string, Record<string, string>>;
  readonly baseDir: string;
  private readonly pvcDirs = new Map<string, string>();
  private starts = 0;

  constructor(
    readonly objects: readonly KubeObject[],
    generatedSecrets: readonly GeneratedSecret[],
    readonly options: RunnerOptions,
  ) {
    this.secrets = new Map(generatedSecrets.map((s) => [s.metadata.name, fillSecretData(s, {}).data]));
    this.baseDir = options.baseDir ?? mkdtempSync(join(tmpdir(), "chroma-mod-pod-"));
    mkdirSync(this.baseDir, { recursive: true });
    chmodSync(this.baseDir, 0o755);
  }

  /** The rendered pod spec (after `transformPod`). */
  podSpec(): PodSpec {
    const { spec } = podSpecOf(this.objects);
    return this.options.transformPod ? this.options.transformPod(spec) : spec;
  }

  /** Host directory of a PVC of this pod (created on first use, kept across restarts). */
  pvcDir(name: string): string {
    let dir = this.pvcDirs.get(name);
    if (!dir) {
      dir = join(this.baseDir, "pvc", name);
      mkdirSync(dir, { recursive: true });
      this.pvcDirs.set(name, dir);
    }
    return dir;
  }

  /** Starts the pod's containers; resolves when every probe-less container runs and every probe answers. */
  async start(): Promise<RunningPod> {
    const spec = this.podSpec();
    const start = this.prepare(spec);
    const started: Started = { containers: new Map(), mounts: new Map(), workDirs: new Map(), probes: [] };
    try {
      for (const c of spec.containers) this.startContainer(c, start, started);
    } catch (error) {
      await Promise.all([...started.containers.values()].map((c) => c.stop(2000)));
      throw error;
    }
    const pod = this.runningPod(spec, started);
    try {
      await waitReady(started.probes, started.containers, this.options.readyTimeoutMs ?? 90_000, () => pod.log());
    } catch (error) {
      await pod.stop();
      throw error;
    }
    return pod;
  }

  /** Removes the pod's directories (PVCs included). */
  cleanup(): void {
    rmSync(this.baseDir, { recursive: true, force: true });
  }

  private profileOf(c: Container): ImageProfile {
    return this.options.imageProfile(c.image, c.name);
  }

  /** A fresh directory for this start, who runs as whom, and the pod-level volumes. */
  private prepare(spec: PodSpec): PodStart {
    const { claims } = podSpecOf(this.objects);
    const startDir = join(this.baseDir, `start-${++this.starts}`);
    mkdirSync(startDir, { recursive: true });
    chmodSync(startDir, 0o755);
    const identity = podIdentity(spec, (c) => this.profileOf(c));
    return {
      startDir,
      identity,
      shared: podVolumes(spec, claims, startDir, (claim) => this.pvcDir(claim), identity.shareDir),
      volumes: new Map((spec.volumes ?? []).map((v) => [v.name, v])),
      sources: { maps: configMaps(this.objects), secrets: this.secrets, podName: `${statefulSetOf(this.objects).metadata.name}-0` },
    };
  }

  /** Mounts, files, env, argv and working dir of one container, then its process and its probes. */
  private startContainer(c: Container, start: PodStart, started: Started): void {
    const profile = this.profileOf(c);
    const containerDir = join(start.startDir, "containers", c.name);
    mkdirSync(containerDir, { recursive: true });
    chmodSync(containerDir, 0o755);
    const user = start.identity.runAs(c);
    const { mounts, fileVolumes } = containerMounts(c, start.shared, start.volumes, containerDir);
    started.mounts.set(c.name, mounts);
    writeFileVolumes(fileVolumes, mounts, start.sources.maps, start.sources.secrets);
    const env = containerEnv(c, profile, mounts, start.sources);
    const argv = containerArgv(c, profile, mounts, env);
    const cwd = workingDir(c, mounts, containerDir, user, start.identity.fsGroup);
    started.containers.set(c.name, spawnContainer(c.name, argv, env, cwd, user, join(containerDir, "output.log")));
    started.workDirs.set(c.name, cwd);
    this.options.log?.(`runner: started ${c.name}: ${argv.join(" ")}`);
    started.probes.push(...probeTargets(c));
  }

  private runningPod(spec: PodSpec, { containers, mounts, workDirs, probes }: Started): RunningPod {
    const grace = this.options.graceMs ?? (spec.terminationGracePeriodSeconds ?? 30) * 1000;
    return {
      containers,
      probes,
      mounts,
      workDirs,
      log: (name?: string) =>
        name ? (containers.get(name)?.log ?? "") : [...containers.values()].map((c) => `----- ${c.name} (${describeExit(c.exit)})\n${c.log}`).join("\n"),
      stop: async () => new Map(await Promise.all([...containers.values()].map(async (c) => [c.name, await c.stop(grace)] as const))),
    };
  }
}
