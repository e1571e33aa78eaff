/**
 * Volumes and mounts as host directories: ConfigMap/Secret volumes become files (honouring `items`), emptyDirs
 * fresh directories per pod start, PVCs (volumeClaimTemplates) directories kept across restarts of the same
 * runner. Each container gets its own map of mount path → host dir (two containers mounting `/tmp` get different
 * dirs), and a working directory standing in for its read-only image root.
 */
import { chmodSync, chownSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { rewritePaths } from "./expand.ts";
import type { HostUser } from "./host.ts";
import { PodStartError, type Container, type DataByName, type PodSpec, type Volume } from "./pod-spec.ts";

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
    if (!dir && volume && (volume.configMap || volume.secret)) {
      dir = join(containerDir, "volumes", m.name);
      mkdirSync(dir, { recursive: true });
      fileVolumes.push({ volume, dir });
    }
    if (!dir) throw new PodStartError(`container ${c.name}: volume mount ${m.name} has no volume (or a kind the runner does not know)`);
    mounts.set(m.mountPath, m.subPath ? join(dir, m.subPath) : dir);
  }
  return { mounts, fileVolumes };
}

/** The data a file volume shows, its `items`, and whether its text is rewritten to the mounts (ConfigMaps only). */
function fileVolumeSource(volume: Volume, maps: DataByName, secrets: DataByName) {
  if (volume.configMap) {
    const source = maps.get(volume.configMap.name);
    if (!source && !volume.configMap.optional)
      throw new PodStartError(`volume ${volume.name}: ConfigMap ${volume.configMap.name} is not among the rendered objects`);
    return { source, items: volume.configMap.items, rewrite: true, mode: volume.configMap.defaultMode ?? 0o644 };
  }
  const source = secrets.get(volume.secret!.secretName);
  if (!source && !volume.secret!.optional) throw new PodStartError(`volume ${volume.name}: Secret ${volume.secret!.secretName} is neither generated nor given`);
  return { source, items: volume.secret!.items, rewrite: false, mode: volume.secret!.defaultMode ?? 0o644 };
}

/** ConfigMap/Secret files, `items` honoured; ConfigMap text rewritten to this container's mounts. */
export function writeFileVolumes(fileVolumes: readonly FileVolume[], mounts: ReadonlyMap<string, string>, maps: DataByName, secrets: DataByName): void {
  for (const { volume, dir } of fileVolumes) {
    const { source, items, rewrite, mode } = fileVolumeSource(volume, maps, secrets);
    const entries: { key: string; path: string; mode?: number }[] = items ?? Object.keys(source ?? {}).map((key) => ({ key, path: key }));
    for (const { key, path, mode: itemMode } of entries) {
      const value = source?.[key];
      if (value === undefined) throw new PodStartError(`volume ${volume.name}: key ${key} is missing`);
      const file = join(dir, path);
      mkdirSync(join(file, ".."), { recursive: true });
      writeFileSync(file, rewrite ? rewritePaths(value, mounts) : value);
      chmodSync(file, itemMode ?? mode);
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
