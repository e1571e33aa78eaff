/** The pod and its container: the Chroma image, probes and ServiceAccount. */
import * as v from "valibot";
import { strictObject } from "../../core/issues.ts";
import { annotationMapSchema, int32, objectName } from "../kube.ts";
import { doc, imageRepository, imageTag } from "./formats.ts";

const positiveInt = int32(1);
const imageDigest = v.pipe(v.string(), v.regex(/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/, "an image digest like sha256:<64 hex digits>"));

export const imageSchema = v.pipe(
  v.optional(
    strictObject({
      repository: v.pipe(v.optional(imageRepository, "ghcr.io/chroma-core/chroma"), doc("Chroma image repository.")),
      tag: v.pipe(v.optional(imageTag), doc("Image tag. Default: `chromadb.apiVersion`, so the image and the rendered config always agree.")),
      digest: v.pipe(
        v.optional(imageDigest),
        doc(
          "Image digest (`sha256:…`): the image is pulled as `repository@digest` (`repository:tag@digest` with a tag), so it cannot change under the same name.",
        ),
      ),
      pullPolicy: v.pipe(v.optional(v.picklist(["Always", "IfNotPresent", "Never"]), "IfNotPresent"), doc("Image pull policy.")),
    }),
    {},
  ),
  doc("The Chroma server image."),
);

const probeSchema = (initialDelaySeconds: number, failureThreshold: number) =>
  v.optional(
    strictObject({
      enabled: v.optional(v.boolean(), true),
      initialDelaySeconds: v.optional(int32(0), initialDelaySeconds),
      periodSeconds: v.optional(positiveInt, 10),
      timeoutSeconds: v.optional(positiveInt, 5),
      failureThreshold: v.optional(positiveInt, failureThreshold),
    }),
    {},
  );

export const probesSchema = v.pipe(
  v.optional(
    strictObject({
      startup: probeSchema(0, 60),
      liveness: probeSchema(0, 6),
      readiness: probeSchema(0, 3),
    }),
    {},
  ),
  doc(
    "HTTP probes on the heartbeat/healthcheck path of the chosen version (`/api/v1/heartbeat` on 0.x, `/api/v2/heartbeat` and `/api/v2/healthcheck` on 1.x). The startup probe allows 10 minutes for first-start migrations.",
  ),
);

export const serviceAccountSchema = v.pipe(
  v.optional(
    strictObject({
      create: v.optional(v.boolean(), true),
      name: v.pipe(v.optional(objectName("a ServiceAccount")), doc("Name. Default: the instance name when created, `default` otherwise.")),
      annotations: annotationMapSchema("ServiceAccount annotations (e.g. workload identity)."),
      automountServiceAccountToken: v.optional(v.boolean(), false),
    }),
    {},
  ),
  doc("The pod's ServiceAccount. Chroma never calls the Kubernetes API, so its token is not mounted."),
);
