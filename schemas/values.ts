/**
 * The values of one Chroma instance. Key names under `chromadb.*` are the seed Helm chart's, so a chart user's
 * values.yaml maps 1:1; everything the chart lacks sits beside them. Defaults live beside each field.
 * Version-dependent defaults (marked "resolved per version") stay undefined here and are resolved by module/.
 */
import * as v from "valibot";
import { strictObject } from "../core/issues.ts";
import {
  affinitySchema,
  annotationMapSchema,
  int32,
  labelMapSchema,
  labelValue,
  objectName,
  containerSecurityContextSchema,
  envVarSchema,
  podSecurityContextSchema,
  resourcesSchema,
  tolerationSchema,
} from "./kube.ts";
import { chromadbSchema } from "./values/chromadb.ts";
import { doc } from "./values/formats.ts";
import { ingressSchema, networkPolicySchema, proxySchema, serviceSchema, tlsSchema } from "./values/network.ts";
import { imageSchema, probesSchema, serviceAccountSchema } from "./values/workload.ts";

export const valuesSchema = strictObject({
  chromadb: v.optional(chromadbSchema, {}),
  image: imageSchema,
  imagePullSecrets: v.pipe(v.optional(v.array(objectName("a Secret")), []), doc("Names of image pull Secrets.")),
  replicas: v.pipe(
    v.optional(int32(0), 1),
    doc(
      "Pods. Chroma is a single-node server (SQLite + HNSW files are not shared): more than 1 is refused with persistence. 0 stops the server and keeps the data.",
    ),
  ),
  autoscaling: v.pipe(
    v.optional(
      strictObject({
        enabled: v.optional(
          v.literal(
            false,
            "autoscaling is refused: Chroma is a single-node server (one process owns its SQLite and HNSW files), so a HorizontalPodAutoscaler cannot add replicas that serve the same data. Fix: remove autoscaling (or set enabled: false) and size the pod with resources",
          ),
        ),
        minReplicas: v.pipe(v.optional(int32(1)), doc("The chart's; ignored (autoscaling is off).")),
        maxReplicas: v.pipe(v.optional(int32(1)), doc("The chart's; ignored (autoscaling is off).")),
        targetCPUUtilizationPercentage: v.pipe(v.optional(int32(1)), doc("The chart's; ignored (autoscaling is off).")),
        targetMemoryUtilizationPercentage: v.pipe(v.optional(int32(1)), doc("The chart's; ignored (autoscaling is off).")),
      }),
    ),
    doc(
      "The Helm chart's `autoscaling` block, accepted only with `enabled: false` (the chart's default, so a chart values file carries over); `enabled: true` is refused: Chroma is single-node, replicas cannot share its data. Renders nothing.",
    ),
  ),
  resources: resourcesSchema,
  nodeSelector: labelMapSchema("Node labels the pod must match."),
  tolerations: v.pipe(v.optional(v.array(tolerationSchema), []), doc("Pod tolerations.")),
  affinity: v.pipe(v.optional(affinitySchema), doc("Pod affinity rules.")),
  priorityClassName: v.pipe(v.optional(objectName("a PriorityClass")), doc("Pod priority class.")),
  podSecurityContext: podSecurityContextSchema,
  securityContext: containerSecurityContextSchema,
  service: serviceSchema,
  ingress: ingressSchema,
  networkPolicy: networkPolicySchema,
  tls: tlsSchema,
  serviceAccount: serviceAccountSchema,
  probes: probesSchema,
  extraEnv: v.pipe(v.optional(v.array(envVarSchema), []), doc("Extra environment variables of the Chroma container (`value` or `valueFrom`).")),
  nameOverride: v.pipe(
    v.optional(v.pipe(labelValue, v.minLength(1, "a non-empty label value"))),
    doc(
      "The `app.kubernetes.io/name` label of every object, the pod selector's included (default `chroma`), as the Helm chart's `nameOverride`. Best set when the instance is created: a StatefulSet's selector cannot change in place, so `apply` then refuses, and `apply --force` re-creates the StatefulSet (its data claim is kept and mounted again).",
    ),
  ),
  fullnameOverride: v.pipe(
    v.optional(
      v.pipe(
        v.string(),
        v.regex(/^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/, "a name: lowercase letters, digits and '-', starting with a letter, at most 40 characters"),
      ),
    ),
    doc(
      "The base name of the instance's objects instead of the instance name, as the Helm chart's `fullnameOverride`: the StatefulSet, Service and ServiceAccount, `<name>-config`, `<name>-auth`, and so the data claim `data-<name>-0`. Set it when the instance is created: a new name is a new StatefulSet with a new, empty claim (the old claim is kept, not deleted).",
    ),
  ),
  labels: labelMapSchema("Labels added to every object of the instance."),
  annotations: annotationMapSchema("Annotations added to every object of the instance."),
  podLabels: labelMapSchema("Extra pod labels."),
  podAnnotations: annotationMapSchema("Extra pod annotations."),
  terminationGracePeriodSeconds: v.pipe(v.optional(int32(0), 30), doc("Time Chroma gets to flush on shutdown.")),
  proxy: proxySchema,
});

/** What users write: every key optional. */
export type ValuesInput = v.InferInput<typeof valuesSchema>;
/** Values after defaults. */
export type Values = v.InferOutput<typeof valuesSchema>;
