/** The parts of a pod spec the runner reads: the types of the fields it understands, and what it reads besides. */

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string };
  };
}
/** A probe's action (httpGet or tcpSocket; exec and grpc are not run) and timing. */
export interface Probe {
  httpGet?: { path?: string; port: string | number; scheme?: "HTTP" | "HTTPS" };
  tcpSocket?: { port: string | number };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  successThreshold?: number;
}
export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  envFrom?: { prefix?: string; configMapRef?: { name: string; optional?: boolean }; secretRef?: { name: string; optional?: boolean } }[];
  ports?: { name?: string; containerPort: number }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  securityContext?: { runAsUser?: number; runAsGroup?: number };
  workingDir?: string;
}
export interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}
/** One source of a projected volume (what the API server's ServiceAccount admission adds to a pod: token, CA, namespace). */
export interface ProjectedSource {
  configMap?: { name: string; items?: KeyToPath[]; optional?: boolean };
  secret?: { name: string; items?: KeyToPath[]; optional?: boolean };
  downwardAPI?: { items: { path: string; fieldRef?: { fieldPath: string }; mode?: number }[] };
  serviceAccountToken?: { path: string; audience?: string; expirationSeconds?: number };
}
export interface Volume {
  name: string;
  configMap?: { name: string; items?: KeyToPath[]; optional?: boolean; defaultMode?: number };
  secret?: { secretName: string; items?: KeyToPath[]; optional?: boolean; defaultMode?: number };
  projected?: { sources: ProjectedSource[]; defaultMode?: number };
  emptyDir?: Record<string, unknown>;
  persistentVolumeClaim?: { claimName: string };
}
export interface PodSpec {
  initContainers?: Container[];
  containers: Container[];
  volumes?: Volume[];
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsUser?: number; runAsGroup?: number; fsGroup?: number };
}

/** Key → value data of a ConfigMap or a Secret, by object name. */
export type DataByName = ReadonlyMap<string, Readonly<Record<string, string>>>;

/** What env `valueFrom` and file volumes read: ConfigMaps, Secrets, the pod's own fields, service account tokens. */
export interface PodData {
  readonly maps: DataByName;
  readonly secrets: DataByName;
  readonly podName: string;
  readonly namespace: string;
  /** Tokens of the pod's service account by audience ("": the API server's own), as the kubelet requests them. */
  readonly tokens: ReadonlyMap<string, string>;
}

export class PodStartError extends Error {
  override name = "PodStartError";
}
