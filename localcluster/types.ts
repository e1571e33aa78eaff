/** The local control plane's public types: what `up`, `down` and `status` take and give. */

export interface LocalClusterOptions {
  /** Cache root (default $CHROMA_MOD_CACHE or ~/.cache/chroma-mod). */
  cacheDir?: string;
  /** State dir of this cluster (default <cacheDir>/cluster). Two state dirs = two independent clusters. */
  stateDir?: string;
  /** up: how long to wait for the whole cluster to be ready, and for the state dir's lock (default 180 s). */
  timeoutMs?: number;
  /** ensureBinaries/up: run build.sh when binaries are missing or stale (default true). */
  build?: boolean;
  /** Progress lines (default: written to stderr). */
  log?: (line: string) => void;
}

export interface DownOptions extends LocalClusterOptions {
  /** Also delete the state dir (etcd data, certs, logs, audit log). */
  purge?: boolean;
}

export type ComponentName = "etcd" | "kube-apiserver" | "kube-controller-manager" | "kube-scheduler" | "kwok" | "local-node";

export interface ComponentState {
  name: ComponentName;
  pid: number;
  bin: string;
  log: string;
}

export interface ClusterPorts {
  etcd: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
  scheduler: number;
}

export interface ClusterInfo {
  /** https://127.0.0.1:<port> */
  server: string;
  /** Admin kubeconfig (system:masters). */
  kubeconfig: string;
  k8sVersion: string;
  binDir: string;
  /** <binDir>/kubectl: the kubectl of the same version. */
  kubectl: string;
  stateDir: string;
  auditLog: string;
  logDir: string;
  ports: ClusterPorts;
  components: ComponentState[];
  /** Name of the fake (kwok) node: tainted, only pods that tolerate chroma-mod.io/fake-node go there. */
  nodeName: string;
  /** Name of the local node whose agent runs pods as local processes. */
  processNodeName: string;
  /** Name of the default StorageClass. */
  storageClass: string;
  /** True when up() found the cluster already running and did nothing. */
  alreadyRunning: boolean;
  /** Wall time of this up() call in ms. */
  startupMs: number;
}

export interface ClusterStatus {
  /** State file present and every component process alive. */
  running: boolean;
  /** running and GET /readyz answered "ok". */
  ready: boolean;
  components: { name: ComponentName; pid: number; alive: boolean; log: string }[];
  kubeconfig: string;
  server: string | null;
  stateDir: string;
}
