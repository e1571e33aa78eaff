/**
 * Volumes and mounts as host directories: ConfigMap/Secret/projected volumes become files (honouring `items` and
 * modes; a projected volume's ConfigMaps, Secrets, downward API fields and service account token), emptyDirs
 * fresh directories per pod start, PVCs (volumeClaimTemplates) directories kept across restarts of the same
 * runner. Each container gets its own map of mount path → host dir (two containers mounting `/tmp` get different
 * dirs), and a working directory standing in for its read-only image root.
 */
import { chmodSync, chownSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { rewritePaths } from "./expand.ts";
import type { HostUser } from "./host.ts";
import { PodStartError, type Container, type KeyToPath, type PodData, type PodSpec, type ProjectedSource, type Volume } from "./pod-spec.ts";

/** Pod-level volumes shared by containers, volume name → host dir: emptyDirs (fresh per start) and PVCs (kept). */
export function podVolumes(
  spec: PodSpec,
  claims: readonly string[],
  startDir: string,
  pvcDir: (claim: string) => string,
  shareDir: (dir: string) => void,
): Map<string, string> {
  const shared = new Map<string, string>();
  const share = (name: string, dir: string) => {
    shareDir(dir);
    shared.set(name, dir);
  };
  for (const v of spec.volumes ?? []) {
    if (v.emptyDir) {
      const dir = join(startDir, "emptydir", v.name);
      mkdirSync(dir, { recursive: true });
      share(v.name, dir);
    } else if (v.persistentVolumeClaim) {
      share(v.name, pvcDir(v.persistentVolumeClaim.claimName));
    }
  }
  for (const claim of claims) if (!shared.has(claim)) share(claim, pvcDir(claim));
  return shared;
}

export interface FileVolume {
  readonly volume: Volume;
  readonly dir: string;
}

/** Host dir of every mount of `c` (file volumes get an empty dir here, filled once every mount path is known). */
export function containerMounts(
  c: Container,
  shared: ReadonlyMap<string, string>,
  volumes: ReadonlyMap<string, Volume>,
  containerDir: string,
): { mounts: Map<string, string>; fileVolumes: FileVolume[] } {
  const mounts = new Map<string, string>();
  const fileVolumes: FileVolume[] = [];
  for (const m of c.volumeMounts ?? []) {
    const volume = volumes.get(m.name);
    let dir = shared.get(m.name);
    if (!dir && volume && (volume.configMap || volume.secret || volume.projected)) {
      dir = join(containerDir, "volumes", m.name);
      mkdirSync(dir, { recursive: true });
      fileVolumes.push({ volume, dir });
    }
    if (!dir) throw new PodStartError(`container ${c.name}: volume mount ${m.name} has no volume (or a kind the runner does not know)`);
    mounts.set(m.mountPath, m.subPath ? join(dir, m.subPath) : dir);
  }
  return { mounts, fileVolumes };
}

/** One file of a file volume: its path in the volume, its text, its mode, and whether mount paths in it are rewritten. */
interface VolumeFile {
  readonly path: string;
  readonly value: string;
  readonly mode: number;
  readonly rewrite: boolean;
}

/** The files of `source`'s data (all keys, or its `items`); none when an optional source is absent. */
function keyFiles(
  what: string,
  source: Readonly<Record<string, string>> | undefined,
  items: readonly KeyToPath[] | undefined,
  mode: number,
  rewrite: boolean,
): VolumeFile[] {
  const entries: readonly KeyToPath[] = items ?? Object.keys(source ?? {}).map((key) => ({ key, path: key }));
  return entries.map(({ key, path, mode: itemMode }) => {
    const value = source?.[key];
    if (value === undefined) throw new PodStartError(`${what}: key ${key} is missing`);
    return { path, value, mode: itemMode ?? mode, rewrite };
  });
}

/** A projected volume's files: each source's, in order (the API server's ServiceAccount admission adds one per pod). */
function projectedFiles(volume: Volume, s: ProjectedSource, mode: number, data: PodData): VolumeFile[] {
  const what = `volume ${volume.name}`;
  if (s.configMap) {
    const source = data.maps.get(s.configMap.name);
    if (!source && !s.configMap.optional) throw new PodStartError(`${what}: ConfigMap ${s.configMap.name} does not exist`);
    return source ? keyFiles(what, source, s.configMap.items, mode, false) : [];
  }
  if (s.secret) {
    const source = data.secrets.get(s.secret.name);
    if (!source && !s.secret.optional) throw new PodStartError(`${what}: Secret ${s.secret.name} does not exist`);
    return source ? keyFiles(what, source, s.secret.items, mode, false) : [];
  }
  if (s.downwardAPI) {
    const fields: Record<string, string> = { "metadata.name": data.podName, "metadata.namespace": data.namespace };
    return s.downwardAPI.items.map((item) => {
      const value = item.fieldRef ? fields[item.fieldRef.fieldPath] : undefined;
      if (value === undefined) throw new PodStartError(`${what}: downwardAPI ${item.path}: only metadata.name and metadata.namespace are supported`);
      return { path: item.path, value, mode: item.mode ?? mode, rewrite: false };
    });
  }
  if (s.serviceAccountToken) {
    const audience = s.serviceAccountToken.audience ?? "";
    const token = data.tokens.get(audience);
    if (token === undefined) throw new PodStartError(`${what}: no service account token${audience ? ` for audience ${audience}` : ""} was issued for the pod`);
    return [{ path: s.serviceAccountToken.path, value: token, mode, rewrite: false }];
  }
  return [];
}

/** The files a file volume shows; ConfigMap text is rewritten to the mounts (Secrets and projected files are not). */
function volumeFiles(volume: Volume, data: PodData): VolumeFile[] {
  if (volume.configMap) {
    const source = data.maps.get(volume.configMap.name);
    if (!source && !volume.configMap.optional)
      throw new PodStartError(`volume ${volume.name}: ConfigMap ${volume.configMap.name} is not among the rendered objects`);
    return keyFiles(`volume ${volume.name}`, source, volume.configMap.items, volume.configMap.defaultMode ?? 0o644, true);
  }
  if (volume.projected) {
    const mode = volume.projected.defaultMode ?? 0o644;
    return volume.projected.sources.flatMap((s) => projectedFiles(volume, s, mode, data));
  }
  const source = data.secrets.get(volume.secret!.secretName);
  if (!source && !volume.secret!.optional) throw new PodStartError(`volume ${volume.name}: Secret ${volume.secret!.secretName} is neither generated nor given`);
  return keyFiles(`volume ${volume.name}`, source, volume.secret!.items, volume.secret!.defaultMode ?? 0o644, false);
}

/** ConfigMap/Secret/projected files, `items` honoured; ConfigMap text rewritten to this container's mounts. */
export function writeFileVolumes(fileVolumes: readonly FileVolume[], mounts: ReadonlyMap<string, string>, data: PodData): void {
  for (const { volume, dir } of fileVolumes) {
    for (const { path, value, mode, rewrite } of volumeFiles(volume, data)) {
      const file = join(dir, path);
      mkdirSync(join(file, ".."), { recursive: true });
      writeFileSync(file, rewrite ? rewritePaths(value, mounts) : value);
      chmodSync(file, mode);
    }
  }
}

/** Working dir: the rendered workingDir mapped to its mount, or an empty dir standing in for the (read-only) image root. */
export function workingDir(
  c: Container,
  mounts: ReadonlyMap<string, string>,
  containerDir: string,
  user: HostUser | undefined,
  fsGroup: number | undefined,
): string {
  const cwd = c.workingDir ? rewritePaths(c.workingDir, mounts) : join(containerDir, "cwd");
  mkdirSync(cwd, { recursive: true });
  if (user) {
    chownSync(cwd, user.uid, user.gid);
    chownSync(containerDir, 0, fsGroup ?? user.gid);
  }
  return cwd;
}
