/** Typed subsets of Kubernetes API shapes that values accept (pod scheduling, security, resources, env). */
import * as v from "valibot";
import { strictObject } from "../core/issues.ts";

/*
 * What the API server accepts, as patterns (they also go into the JSON Schema): `vet` refuses what a cluster would.
 * Numbers stay below 2^31 (int32 fields) or 2^53 (int64 ones): larger ones would be printed in exponent form.
 */
const int32Max = 2147483647;
const subdomainPattern = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const labelNamePattern =
  /^(?:(?=[^/]{1,253}\/)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelValuePattern = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/** A DNS-1123 subdomain: the name of a Secret, ServiceAccount, StorageClass, PriorityClass… (also no `../`). */
export const objectName = (what: string) =>
  v.pipe(v.string(), v.regex(subdomainPattern, `${what} name (lowercase letters, digits, '-' and '.', at most 253 characters)`));
/** A label (or annotation) key: an optional DNS prefix and `/`, then at most 63 characters. */
const labelKey = v.pipe(
  v.string(),
  v.regex(labelNamePattern, "a label key (`name` or `prefix/name`: letters, digits, '-', '_', '.', at most 63 characters after the prefix)"),
);
export const labelValue = v.pipe(
  v.string(),
  v.regex(labelValuePattern, "a label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, or empty)"),
);
/** A whole number in int32 range. */
export const int32 = (min: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(int32Max));

/**
 * A resource quantity (`500m`, `1.5Gi`, `2`), never negative; numbers are written out in full (no exponent form).
 */
const quantity = v.union([
  v.pipe(
    v.string(),
    v.regex(/^(?:\d{1,18}(?:\.\d{0,9})?|\.\d{1,9})(?:[eE][-+]?\d{1,2}|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/, "a Kubernetes quantity like 500m, 1.5Gi or 2"),
  ),
  v.pipe(v.number(), v.minValue(0), v.maxValue(1e15)),
]);
const labelMap = v.record(labelKey, labelValue);
/** An object's annotations may hold 256 KiB in all: one value is kept well below. */
const annotationMap = v.record(labelKey, v.pipe(v.string(), v.maxLength(65536, "at most 65536 characters")));
const resourceListSchema = strictObject({
  cpu: v.optional(quantity),
  memory: v.optional(quantity),
  "ephemeral-storage": v.optional(quantity),
});

export const resourcesSchema = v.pipe(
  v.optional(
    strictObject({
      requests: v.optional(resourceListSchema),
      limits: v.optional(resourceListSchema),
    }),
    {},
  ),
  v.description("Container resources (requests/limits). The HNSW index must fit in memory: size `limits.memory` for it."),
);

export const tolerationSchema = strictObject({
  key: v.optional(labelKey),
  operator: v.optional(v.picklist(["Exists", "Equal"])),
  value: v.optional(labelValue),
  effect: v.optional(v.picklist(["NoSchedule", "PreferNoSchedule", "NoExecute"])),
  tolerationSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(-Number.MAX_SAFE_INTEGER), v.maxValue(Number.MAX_SAFE_INTEGER))),
});

/** A scheduling requirement on labels (or node fields): `In`/`NotIn` need values, `Exists`/`DoesNotExist` none. */
const requirement = (operators: readonly [string, ...string[]]) =>
  strictObject({ key: labelKey, operator: v.picklist(operators), values: v.optional(v.array(labelValue)) });
const nodeOperators = ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"] as const;
const labelOperators = ["In", "NotIn", "Exists", "DoesNotExist"] as const;
const nodeSelectorTerm = strictObject({
  matchExpressions: v.optional(v.array(requirement(nodeOperators))),
  matchFields: v.optional(
    v.array(strictObject({ key: v.literal("metadata.name"), operator: v.picklist(["In", "NotIn"]), values: v.array(objectName("a node")) })),
  ),
});
/** A label selector (`matchLabels`, `matchExpressions`), as pod affinity and NetworkPolicy peers take it. */
export const labelSelector = strictObject({ matchLabels: v.optional(labelMap), matchExpressions: v.optional(v.array(requirement(labelOperators))) });
const podAffinityTerm = strictObject({
  labelSelector: v.optional(labelSelector),
  namespaceSelector: v.optional(labelSelector),
  namespaces: v.optional(v.array(v.pipe(v.string(), v.regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "a namespace name")))),
  topologyKey: labelKey,
});
const weight = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100));
const podAffinity = strictObject({
  requiredDuringSchedulingIgnoredDuringExecution: v.optional(v.array(podAffinityTerm)),
  preferredDuringSchedulingIgnoredDuringExecution: v.optional(v.array(strictObject({ weight, podAffinityTerm }))),
});

export const affinitySchema = strictObject({
  nodeAffinity: v.optional(
    strictObject({
      requiredDuringSchedulingIgnoredDuringExecution: v.optional(
        strictObject({ nodeSelectorTerms: v.pipe(v.array(nodeSelectorTerm), v.minLength(1, "at least one term")) }),
      ),
      preferredDuringSchedulingIgnoredDuringExecution: v.optional(v.array(strictObject({ weight, preference: nodeSelectorTerm }))),
    }),
  ),
  podAffinity: v.optional(podAffinity),
  podAntiAffinity: v.optional(podAffinity),
});

const seccompProfileSchema = strictObject({
  type: v.picklist(["RuntimeDefault", "Localhost", "Unconfined"]),
  localhostProfile: v.optional(
    v.pipe(v.string(), v.regex(/^(?!\/)(?!(.*\/)?\.\.(\/|$))\S+$/, "a path relative to the kubelet's seccomp directory (no leading '/', no '..')")),
  ),
});

/** A user or group id; `null` leaves it unset (e.g. OpenShift's restricted SCC assigns a random UID). */
const idOrUnset = (fallback: number) => v.optional(v.nullable(int32(0)), fallback);

export const podSecurityContextSchema = v.pipe(
  v.optional(
    strictObject({
      runAsNonRoot: v.optional(v.boolean(), true),
      runAsUser: idOrUnset(1000),
      runAsGroup: idOrUnset(1000),
      fsGroup: idOrUnset(1000),
      fsGroupChangePolicy: v.optional(v.picklist(["OnRootMismatch", "Always"]), "OnRootMismatch"),
      supplementalGroups: v.optional(v.array(int32(0))),
      seccompProfile: v.optional(seccompProfileSchema, { type: "RuntimeDefault" }),
    }),
    {},
  ),
  v.description(
    "Pod securityContext. Defaults pass the `restricted` Pod Security Standard: non-root 1000:1000, fsGroup 1000 so the data volume is writable, RuntimeDefault seccomp. Set an id to null to leave it unset (OpenShift).",
  ),
);

export const containerSecurityContextSchema = v.pipe(
  v.optional(
    strictObject({
      allowPrivilegeEscalation: v.optional(v.boolean(), false),
      readOnlyRootFilesystem: v.optional(v.boolean(), true),
      runAsNonRoot: v.optional(v.boolean(), true),
      privileged: v.optional(v.boolean(), false),
      capabilities: v.optional(
        strictObject({
          add: v.optional(v.array(v.string())),
          drop: v.optional(v.array(v.string()), ["ALL"]),
        }),
        {},
      ),
      seccompProfile: v.optional(seccompProfileSchema),
    }),
    {},
  ),
  v.description(
    "Container securityContext, separate from the pod's. Defaults: no privilege escalation, read-only root filesystem (a writable /tmp is mounted), all capabilities dropped.",
  ),
);

const keyRef = (what: string) =>
  strictObject({
    name: objectName(what),
    key: v.pipe(v.string(), v.regex(/^[-._a-zA-Z0-9]{1,253}$/, "a key name (letters, digits, '-', '_', '.')")),
    optional: v.optional(v.boolean()),
  });

/** Environment variable names every Kubernetes version accepts (newer ones accept more). */
const envName = v.pipe(
  v.string(),
  v.regex(/^[-._a-zA-Z][-._a-zA-Z0-9]{0,1023}$/, "an environment variable name (letters, digits, '_', '-', '.', not starting with a digit)"),
);
/** The pod fields a `fieldRef` may read. */
const fieldPath = v.pipe(
  v.string(),
  v.regex(
    /^(metadata\.(name|namespace|uid)|spec\.(nodeName|serviceAccountName)|status\.(hostIP|hostIPs|podIP|podIPs)|metadata\.(labels|annotations)\['[^'\]]+'\])$/,
    "a pod field: metadata.name, metadata.namespace, metadata.uid, metadata.labels['<key>'], metadata.annotations['<key>'], spec.nodeName, spec.serviceAccountName, status.hostIP(s) or status.podIP(s)",
  ),
);

export const envVarSchema = v.union([
  strictObject({ name: envName, value: v.string() }),
  strictObject({
    name: envName,
    valueFrom: v.union([
      strictObject({ secretKeyRef: keyRef("a Secret") }),
      strictObject({ configMapKeyRef: keyRef("a ConfigMap") }),
      strictObject({ fieldRef: strictObject({ fieldPath }) }),
    ]),
  }),
]);

/** Labels: keys and values as Kubernetes accepts them. */
export const labelMapSchema = (description: string) => v.pipe(v.optional(labelMap, {}), v.description(description));
/** Annotations: label-style keys, any string values. */
export const annotationMapSchema = (description: string) => v.pipe(v.optional(annotationMap, {}), v.description(description));
