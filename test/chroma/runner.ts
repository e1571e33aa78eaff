/**
 * The real-Chroma tests run a RENDERED instance's pod with the product's pod runner (localcluster/node/runner/, the
 * same code the local node's agent runs pods with): the StatefulSet's pod template, its claims and the ConfigMaps
 * are taken from `evaluate()`'s objects as they are (never a hand-written copy), and the generated Secrets are
 * filled by `fillSecretData` exactly as `apply` fills them (once per runner: restarts keep the credentials, as the
 * cluster keeps the Secret). PVCs are directories kept across restarts of the same runner.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GeneratedSecret, KubeObject } from "../../core/types.ts";
import { issueCertificate } from "../../engine/apply/certificate.ts";
import { fillSecretData } from "../../engine/apply/generated.ts";
import { PodRunner as ProductRunner, PodStartError, type PodSpec, type RunnerOptions as ProductOptions } from "../../localcluster/node/runner/pod-runner.ts";

export {
  expandK8s,
  filesIn,
  PodStartError,
  probeOnce,
  rewritePaths,
  sleep,
  type ImageProfile,
  type PodSpec,
  type ProbeTarget,
} from "../../localcluster/node/runner/pod-runner.ts";
export type { RunningPod } from "../../localcluster/node/runner/pod-runner.ts";

export type RunnerOptions = Omit<ProductOptions, "baseDir"> & { readonly baseDir?: string };

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

/** The product's runner on a rendered instance: one pod identity, its PVCs directories under `baseDir/pvc/`. */
export class PodRunner extends ProductRunner {
  constructor(objects: readonly KubeObject[], generatedSecrets: readonly GeneratedSecret[], options: RunnerOptions) {
    const baseDir = options.baseDir ?? mkdtempSync(join(tmpdir(), "chroma-mod-pod-"));
    const { spec, claims } = podSpecOf(objects);
    const claimDir = (name: string) => {
      const dir = join(baseDir, "pvc", name);
      mkdirSync(dir, { recursive: true });
      return dir;
    };
    super(
      {
        spec,
        claims,
        podName: `${statefulSetOf(objects).metadata.name}-0`,
        maps: configMaps(objects),
        secrets: new Map(generatedSecrets.map((s) => [s.metadata.name, fillSecretData(s, {}, issueCertificate).data])),
        claimDir,
      },
      { ...options, baseDir },
    );
  }
}
