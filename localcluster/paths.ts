/**
 * Where the local control plane keeps its binaries and its state. Pure path arithmetic plus one read of the
 * kube wrapper go.mod (the Kubernetes version names the bin dir, exactly as build.sh computes it).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defaultCacheDir } from "../engine/cache-dir.ts";
import { UserError } from "../engine/errors.ts";
import { packageRoot } from "../engine/package-root.ts";

/** localcluster/ (this folder, also when the CLI runs from its dist/ bundle). */
const LOCALCLUSTER_DIR: string = join(packageRoot(import.meta.url), "localcluster");
export const BUILD_SCRIPT: string = join(LOCALCLUSTER_DIR, "build.sh");
const KUBE_GO_MOD = join(LOCALCLUSTER_DIR, "go", "kube", "go.mod");

export interface LocalClusterPaths {
  /** Cache root: $CHROMA_MOD_CACHE or ~/.cache/chroma-mod. */
  cacheDir: string;
  /** Kubernetes version of the built binaries, e.g. "v1.37.2" (from go/kube/go.mod). */
  k8sVersion: string;
  /** <cacheDir>/bin/<k8sVersion>: kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd, kwok. */
  binDir: string;
  /** kwok's Stage YAML files, copied out of the kwok module by build.sh. */
  kwokStagesDir: string;
  /** Everything of one cluster: certs, etcd data, logs, PV dirs, state file. */
  stateDir: string;
  /** Admin kubeconfig (system:masters). */
  kubeconfig: string;
  /** Audit log (JSON lines, one audit.k8s.io/v1 Event per line). */
  auditLog: string;
  auditPolicy: string;
  admissionConfig: string;
  /** pids, ports, server URL of the running cluster. */
  stateFile: string;
  /** The state dir's lock (a directory, proper-lockfile's): up and down of one state dir take turns. */
  lock: string;
  /** pid of the lock's holder, written once it holds the lock (for the message of a caller that gave up). */
  lockOwner: string;
  logDir: string;
  pkiDir: string;
  etcdDataDir: string;
  /** hostPath directories of the pre-created PersistentVolumes. */
  pvDir: string;
  /** Kubeconfigs made by createUserKubeconfig. */
  usersDir: string;
  /** Output of the last build.sh run started by ensureBinaries. */
  buildLog: string;
}

export { defaultCacheDir };

/** The Kubernetes version the wrapper module pins (k8s.io/kubernetes in go/kube/go.mod). */
export function pinnedK8sVersion(goMod: string = KUBE_GO_MOD): string {
  const version = /^\s*(?:require\s+)?k8s\.io\/kubernetes\s+(v\S+)/m.exec(readFileSync(goMod, "utf8"))?.[1];
  if (version === undefined) {
    throw new UserError(
      `Cannot read the Kubernetes version of the local control plane from ${goMod}: no "k8s.io/kubernetes vX.Y.Z" requirement found.`,
      "Restore that file from git (`git checkout -- localcluster/go/kube/go.mod`).",
    );
  }
  return version;
}

/**
 * Paths of the local cluster. `cacheDir` defaults to defaultCacheDir(); `stateDir` defaults to
 * <cacheDir>/cluster (pass another one to run a second, independent cluster).
 */
export function localClusterPaths(cacheDir?: string, stateDir?: string): LocalClusterPaths {
  const cache = cacheDir ?? defaultCacheDir();
  const k8sVersion = pinnedK8sVersion();
  const binDir = join(cache, "bin", k8sVersion);
  const state = stateDir ?? join(cache, "cluster");
  return {
    cacheDir: cache,
    k8sVersion,
    binDir,
    kwokStagesDir: join(binDir, "kwok-stages"),
    stateDir: state,
    kubeconfig: join(state, "admin.kubeconfig"),
    auditLog: join(state, "audit.log"),
    auditPolicy: join(state, "audit-policy.yaml"),
    admissionConfig: join(state, "admission-config.yaml"),
    stateFile: join(state, "state.json"),
    lock: join(state, "state.lock"),
    lockOwner: join(state, "state.lock.pid"),
    logDir: join(state, "logs"),
    pkiDir: join(state, "pki"),
    etcdDataDir: join(state, "etcd"),
    pvDir: join(state, "pv"),
    usersDir: join(state, "users"),
    buildLog: join(cache, "build.log"),
  };
}

/** The paths of the cluster that options name (their `cacheDir` and `stateDir`). */
export function pathsOf(opts: { cacheDir?: string | undefined; stateDir?: string | undefined }): LocalClusterPaths {
  return localClusterPaths(opts.cacheDir, opts.stateDir);
}
