/**
 * The Chroma Helm chart's releases, as the CLI uses them: the Chroma version a release runs, and `apply --adopt-helm`
 * (the release's objects taken over by an instance, refused across a data-format boundary). Reading the release is the
 * engine's (engine/helm/release.ts), mapping its values the module's (module/helm-import.ts).
 */
import type { KubeObject } from "../core/types.ts";
import { UserError } from "../engine/errors.ts";
import type { EvaluatedInstance } from "../engine/evaluate.ts";
import type { KubeClient } from "../engine/kube/client.ts";
import { type HelmRelease, readRelease } from "../engine/helm/release.ts";
import { adopt, adoptedIds, inNamespace } from "../engine/apply/adopt.ts";
import { displayName } from "../engine/apply/ids.ts";
import { adoptionRefusal } from "../module/data-format.ts";
import { importHelmValues } from "../module/helm-import.ts";
import { isSupportedRelease } from "../schemas/releases.ts";
import type { Values } from "../schemas/values.ts";

/** The tag of the chart's Chroma image in the release's StatefulSet, when it is a version (`…/chroma:1.5.3`). */
function imageVersion(objects: readonly KubeObject[]): string | undefined {
  const tag = /\/chroma:(\d+\.\d+\.\d+)(@.*)?$/;
  const images = objects
    .filter((o) => o.kind === "StatefulSet")
    .flatMap((o) => (o.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers.map((c) => c.image));
  return images.filter((image) => tag.test(image)).map((image) => tag.exec(image)![1])[0];
}

/** The Chroma version the release runs: its image's tag, else what its values name, else the chart's appVersion. */
export function releaseChromaVersion(release: HelmRelease): string | undefined {
  return imageVersion(release.objects) ?? importHelmValues(release.values).chromaVersion ?? release.chart.appVersion;
}

/** Reads the release and refuses what adoption cannot do; `instances` must hold exactly the instance to adopt into. */
async function adoptableRelease(client: KubeClient, name: string, instances: readonly EvaluatedInstance<Values>[]) {
  if (instances.length !== 1) {
    throw new UserError(
      `--adopt-helm ${name}: the bundle has ${instances.length} instances; a release is adopted by one.`,
      "Name the instance that takes the release over with --instance.",
    );
  }
  const inst = instances[0]!;
  const release = await readRelease(client, inst.namespace, name);
  const label = `Helm release "${name}" (namespace ${inst.namespace}, revision ${release.revision}, chart ${release.chart.name}-${release.chart.version})`;
  if (release.status.startsWith("pending-") || release.status === "uninstalling") {
    throw new UserError(
      `Cannot adopt ${label}: it is ${release.status}, so Helm may still be changing it.`,
      `Let the Helm operation finish (helm status ${name} -n ${inst.namespace}), or roll it back with helm, then adopt again. Nothing was changed.`,
    );
  }
  const from = releaseChromaVersion(release);
  if (!from || !isSupportedRelease(from)) {
    throw new UserError(
      `Cannot adopt ${label}: cannot tell which Chroma version it runs${from ? ` (${from} is not a release chroma-mod knows)` : ""}, so whether its data is readable by Chroma ${inst.values.chromadb.apiVersion} is unknown.`,
      "Run a Chroma release of the chart's images, then adopt again. Nothing was changed.",
    );
  }
  const refusal = adoptionRefusal(from, inst.values.chromadb.apiVersion);
  if (refusal) {
    throw new UserError(
      `Cannot adopt ${label}: ${refusal}`,
      `Set chromadb.apiVersion to ${from} (or another release of the same data format) to adopt it, then upgrade within that format; across formats, back the data up and restore it into a new instance. Nothing was changed.`,
    );
  }
  return { inst, release, label, from };
}

/**
 * `apply --adopt-helm NAME`: moves the release's objects that the instance renders to chroma-mod (adopt.ts) and
 * returns the ids apply may re-create, and the lines to print once the apply is done.
 */
export async function adoptHelmRelease(
  client: KubeClient,
  name: string,
  instances: readonly EvaluatedInstance<Values>[],
  opts: { log: (line: string) => void; timeoutMs: number },
) {
  const { log } = opts;
  const { inst, release, label, from } = await adoptableRelease(client, name, instances);
  log(`${inst.name}: adopting ${label}, Chroma ${from}`);
  const objects = release.objects.map((o) => inNamespace(o, release.namespace));
  const result = await adopt(client, inst, { owner: label, managers: ["helm"], objects }, opts.timeoutMs);
  for (const ref of result.taken) log(`${inst.name}: taking over ${displayName(ref)} from Helm`);
  for (const ref of result.stopped)
    log(
      `${inst.name}: stopped ${displayName(ref)}, left running by the release's StatefulSet, which is gone (an adoption interrupted before): the instance's StatefulSet makes its own`,
    );
  // The chart's credentials Secret, when the instance reads it (chromadb.auth.existingSecret): in use, not left over.
  const credentials = inst.values.chromadb.auth.existingSecret;
  const inUse = result.left.filter((r) => r.kind === "Secret" && r.name === credentials);
  const left = result.left.filter((r) => !inUse.includes(r));
  const after = [
    `${inst.name}: adopted ${label}: ${result.taken.length} objects now belong to chroma-mod.`,
    ...inUse.map((r) => `${inst.name}: kept ${displayName(r)}: the instance's credentials (chromadb.auth.existingSecret), so the release's clients keep them.`),
    ...(left.length > 0
      ? [
          `${inst.name}: left in place, not rendered by chroma-mod (delete them once nothing uses them; the chart names some of them without the release, so other releases may share them): ${left.map(displayName).join(", ")}.`,
        ]
      : []),
    `${inst.name}: Helm still records the release (Secrets ${release.storage.join(", ")}). Do not run helm uninstall ${name}: it would delete the objects chroma-mod now runs. Delete the record instead: kubectl -n ${inst.namespace} delete secret -l owner=helm,name=${name}`,
  ];
  return { adopted: adoptedIds(result), after };
}
