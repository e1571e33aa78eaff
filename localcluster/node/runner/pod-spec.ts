/**
 * The parts of a rendered pod the runner reads: the types of the pod spec fields it understands, and the
 * StatefulSet's pod template, claims and ConfigMaps taken from `evaluate()`'s objects as they are.
 */
import type { KubeObject } from "../../../core/types.ts";

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string };
  };
}
interface HttpProbe {
  httpGet?: { path: string; port: string | number };
}
export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  ports?: { name?: string; containerPort: number }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
  startupProbe?: HttpProbe;
  livenessProbe?: HttpProbe;
  readinessProbe?: HttpProbe;
  securityContext?: { runAsUser?: number; runAsGroup?: number };
  workingDir?: string;
}
export interface Volume {
  name: string;
  configMap?: { name: string; items?: { key: string; path: string }[]; optional?: boolean };
  secret?: { secretName: string; items?: { key: string; path: string }[]; optional?: boolean };
  emptyDir?: Record<string, unknown>;
  persistentVolumeClaim?: { claimName: string };
}
export interface PodSpec {
  containers: Container[];
  volumes?: Volume[];
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsUser?: number; runAsGroup?: number; fsGroup?: number };
}

/** Key → value data of a ConfigMap or a Secret, by object name. */
export type DataByName = ReadonlyMap<string, Readonly<Record<string, string>>>;

export class PodStartError extends Error {
  override name = "PodStartError";
}

export function statefulSetOf(objects: readonly KubeObject[]): KubeObject {
  const sets = objects.filter((o) => o.kind === "StatefulSet");
  if (sets.length !== 1) throw new PodStartError(`expected exactly one StatefulSet in the rendered objects, found ${sets.length}`);
  return sets[0]!;
}

/** A copy of the StatefulSet's pod template spec, and the names of its volumeClaimTemplates. */
export function podSpecOf(objects: readonly KubeObject[]): { spec: PodSpec; claims: string[] } {
  const sts = statefulSetOf(objects) as KubeObject & {
    spec: { template: { spec: PodSpec }; volumeClaimTemplates?: { metadata: { name: string } }[] };
  };
  return { spec: structuredClone(sts.spec.template.spec), claims: (sts.spec.volumeClaimTemplates ?? []).map((c) => c.metadata.name) };
}

export function configMaps(objects: readonly KubeObject[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const o of objects) if (o.kind === "ConfigMap") out.set(o.metadata.name, { ...((o as { data?: Record<string, string> }).data ?? {}) });
  return out;
}
