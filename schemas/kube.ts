/** Typed subsets of Kubernetes API shapes that values accept (pod scheduling, security, resources, env). */
import * as v from "valibot";

const quantity = v.union([v.string(), v.number()]);
const stringMap = v.record(v.string(), v.string());

export const resourceListSchema = v.strictObject({
  cpu: v.optional(quantity),
  memory: v.optional(quantity),
  "ephemeral-storage": v.optional(quantity),
});

export const resourcesSchema = v.pipe(
  v.optional(
    v.strictObject({
      requests: v.optional(resourceListSchema),
      limits: v.optional(resourceListSchema),
    }),
    {},
  ),
  v.description("Container resources (requests/limits). The HNSW index must fit in memory: size `limits.memory` for it."),
);

export const tolerationSchema = v.strictObject({
  key: v.optional(v.string()),
  operator: v.optional(v.picklist(["Exists", "Equal"])),
  value: v.optional(v.string()),
  effect: v.optional(v.picklist(["NoSchedule", "PreferNoSchedule", "NoExecute"])),
  tolerationSeconds: v.optional(v.pipe(v.number(), v.integer())),
});

export const affinitySchema = v.strictObject({
  nodeAffinity: v.optional(v.record(v.string(), v.unknown())),
  podAffinity: v.optional(v.record(v.string(), v.unknown())),
  podAntiAffinity: v.optional(v.record(v.string(), v.unknown())),
});

const seccompProfileSchema = v.strictObject({
  type: v.picklist(["RuntimeDefault", "Localhost", "Unconfined"]),
  localhostProfile: v.optional(v.string()),
});

/** A user or group id; `null` leaves it unset (e.g. OpenShift's restricted SCC assigns a random UID). */
const idOrUnset = (fallback: number) => v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0))), fallback);

export const podSecurityContextSchema = v.pipe(
  v.optional(
    v.strictObject({
      runAsNonRoot: v.optional(v.boolean(), true),
      runAsUser: idOrUnset(1000),
      runAsGroup: idOrUnset(1000),
      fsGroup: idOrUnset(1000),
      fsGroupChangePolicy: v.optional(v.picklist(["OnRootMismatch", "Always"]), "OnRootMismatch"),
      supplementalGroups: v.optional(v.array(v.pipe(v.number(), v.integer()))),
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
    v.strictObject({
      allowPrivilegeEscalation: v.optional(v.boolean(), false),
      readOnlyRootFilesystem: v.optional(v.boolean(), true),
      runAsNonRoot: v.optional(v.boolean(), true),
      privileged: v.optional(v.boolean(), false),
      capabilities: v.optional(
        v.strictObject({
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

const keyRef = v.strictObject({ name: v.string(), key: v.string(), optional: v.optional(v.boolean()) });

export const envVarSchema = v.union([
  v.strictObject({ name: v.string(), value: v.string() }),
  v.strictObject({
    name: v.string(),
    valueFrom: v.union([
      v.strictObject({ secretKeyRef: keyRef }),
      v.strictObject({ configMapKeyRef: keyRef }),
      v.strictObject({ fieldRef: v.strictObject({ fieldPath: v.string() }) }),
    ]),
  }),
]);

export const stringMapSchema = (description: string) => v.pipe(v.optional(stringMap, {}), v.description(description));
