/**
 * The errors the Kubernetes client raises: a small set of classes, each with a one-paragraph message that names
 * the object and the cluster, and a one-line hint. The CLI prints `message` and `hint`; nothing else does.
 */
import { UserError } from "../errors.ts";

/** Identifies one object for messages. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string | undefined;
}

/** `Deployment "web" in namespace "demo"`, or `ClusterRole "reader"` for cluster-scoped objects. */
export function describeRef(ref: ObjectRef): string {
  const where = ref.namespace ? ` in namespace "${ref.namespace}"` : "";
  return `${ref.kind} "${ref.name}"${where}`;
}

/** What the failing request was about, for messages. */
export interface RequestSubject {
  /** The object the request was about, when there is one. */
  readonly ref?: ObjectRef | undefined;
  /** A short description used when there is no object, e.g. `list pods in namespace "demo"`. */
  readonly what?: string | undefined;
}

export function describeSubject(subject: RequestSubject): string {
  return subject.ref ? describeRef(subject.ref) : (subject.what ?? "the request");
}

/** Base class of every error the engine's Kubernetes layer raises on purpose. */
export class KubeError extends UserError {
  /** One line telling the user what to do next. */
  declare readonly hint: string;
  constructor(message: string, hint: string) {
    super(message, hint);
  }
}

/** The kubeconfig file is missing or unusable, or the context does not exist. */
export class KubeconfigError extends KubeError {}

/** No connection to the API server (refused, DNS failure, TLS failure, timeout). */
export class ClusterUnreachableError extends KubeError {
  constructor(
    readonly server: string,
    readonly kubeconfig: string,
    readonly context: string,
    readonly cause: string,
  ) {
    super(
      `Cannot reach the Kubernetes API server at ${server} (context "${context}" from ${kubeconfig}): ${cause}.`,
      "Check that the cluster is running and that the kubeconfig points at it (use --kubeconfig / --context).",
    );
  }
}

/** HTTP 401: the credentials are missing, expired or invalid. */
export class UnauthorizedError extends KubeError {
  constructor(
    readonly server: string,
    readonly context: string,
    readonly user: string,
  ) {
    super(
      `The API server at ${server} rejected the credentials of kubeconfig user "${user}" (context "${context}") with ` +
        `401 Unauthorized: they are missing, expired or invalid.`,
      "Log in again or refresh the credentials in your kubeconfig, or pick another context with --context.",
    );
  }
}

/** HTTP 403: RBAC (or another authorizer) denied the request. */
export class ForbiddenError extends KubeError {
  constructor(
    readonly subject: string,
    readonly user: string,
    readonly verb: string,
    readonly resource: string,
    readonly namespace: string | undefined,
    serverMessage: string,
  ) {
    const scope = namespace ? `in namespace "${namespace}"` : "at cluster scope";
    super(
      `Forbidden: user "${user}" may not ${verb} ${resource} ${scope} (while working on ${subject}). ` + `The API server said: ${serverMessage}`,
      `Ask a cluster administrator to grant "${verb}" on "${resource}" ${scope} to "${user}" (a Role/ClusterRole and ` +
        `binding), or use a context with more rights.`,
    );
  }
}

/** The API server does not know the kind (a CRD is not installed, or the apiVersion is wrong). */
export class KindNotFoundError extends KubeError {
  constructor(
    readonly apiVersion: string,
    readonly kind: string,
    subject: string,
    hint = "Install the CustomResourceDefinition that provides it, or fix the apiVersion/kind.",
  ) {
    super(`The cluster does not serve kind "${kind}" in apiVersion "${apiVersion}" (needed for ${subject}).`, hint);
  }
}

/**
 * A namespace the objects need does not exist and the bundle does not create it. `instance` is the instance whose
 * own namespace it is: the hint then names the value that makes the bundle create it.
 */
export class NamespaceNotFoundError extends KubeError {
  constructor(
    readonly namespace: string,
    readonly instance?: string,
  ) {
    super(
      `Namespace "${namespace}" does not exist, and the bundle does not create it${instance ? ` (instance "${instance}" lives in it)` : ""}.`,
      instance
        ? `Set \`${instance}.createNamespace: true\` in the bundle (the bundle then creates it once, before any instance), or create it first: kubectl create namespace ${namespace}`
        : `Create it first: kubectl create namespace ${namespace}`,
    );
  }
}

/** HTTP 409 on server-side apply: another field manager owns fields we set. */
export class FieldConflictError extends KubeError {
  constructor(
    readonly subject: string,
    readonly managers: readonly string[],
    readonly fields: readonly string[],
  ) {
    super(
      `Field-manager conflict on ${subject}: ${fields.length ? fields.join(", ") : "some fields"} ` +
        `${fields.length === 1 ? "is" : "are"} owned by ${managers.map((m) => `"${m}"`).join(", ")}, ` +
        `not by chroma-mod.`,
      "Re-run with --force-conflicts to take ownership of those fields (as when adopting objects installed by " +
        "another tool), or remove the conflicting change.",
    );
  }
}

/** HTTP 422 (or 400) for reasons other than immutable fields: the object is invalid. */
export class InvalidObjectError extends KubeError {
  constructor(
    readonly subject: string,
    readonly causes: readonly string[],
  ) {
    super(
      `The API server rejected ${subject} as invalid: ${causes.join("; ")}.`,
      "Fix the values that produce these fields (the paths above are in the rendered object).",
    );
  }
}

/** HTTP 422 because a field that cannot change after creation would change. */
export class ImmutableFieldError extends KubeError {
  constructor(
    readonly subject: string,
    readonly fields: readonly string[],
    readonly recreates: string,
    serverMessage: string,
  ) {
    super(
      `Cannot update ${subject}: immutable field${fields.length === 1 ? "" : "s"} ${fields.join(", ")} would change ` + `(${serverMessage}).`,
      `Re-run with --force to delete and re-create it: ${recreates}`,
    );
  }
}

/** Any other HTTP failure from the API server. */
export class ApiError extends KubeError {
  constructor(
    readonly subject: string,
    readonly status: number,
    serverMessage: string,
  ) {
    super(
      `The API server answered ${status} for ${subject}: ${serverMessage}`,
      status >= 500
        ? "The API server is failing; retry later or check its logs."
        : "Check the object and the request; this is not a problem chroma-mod can fix by retrying.",
    );
  }
}

/** A Kubernetes `Status` body (only the parts we read). */
export interface StatusBody {
  readonly message?: string;
  readonly reason?: string;
  readonly details?: {
    readonly causes?: ReadonlyArray<{ readonly reason?: string; readonly message?: string; readonly field?: string }>;
  };
}

/** Context needed to build error messages. */
export interface ErrorContext extends RequestSubject {
  readonly server: string;
  readonly context: string;
  readonly user: string;
  readonly verb: string;
}

const FORBIDDEN_RE = /User "([^"]*)" cannot (\S+) resource "([^"]*)" in API group "([^"]*)"(?: in the namespace "([^"]*)")?/;
const CONFLICT_MANAGER_RE = /conflict with "([^"]+)"/g;
const IMMUTABLE_RE = /immutable|updates to [a-z]+ spec for fields other than/i;

/** What deleting and re-creating an object of this kind does, for the `--force` hint. */
export function recreateConsequence(kind: string): string {
  switch (kind) {
    case "StatefulSet":
      return "the StatefulSet is deleted with orphan propagation, so its pods keep running and its PersistentVolumeClaims stay; the new StatefulSet adopts and rolls the pods.";
    case "Deployment":
    case "ReplicaSet":
    case "DaemonSet":
    case "Job":
      return `the ${kind} and its pods are deleted (background propagation) and re-created; expect a short outage.`;
    default:
      return `the ${kind} is deleted and re-created.`;
  }
}

/** Turns an HTTP error response into the matching error class. */
export function errorFromResponse(status: number, body: StatusBody | undefined, ctx: ErrorContext): KubeError {
  const subject = describeSubject(ctx);
  const message = body?.message ?? `HTTP ${status}`;
  const causes = body?.details?.causes ?? [];
  if (status === 401) return new UnauthorizedError(ctx.server, ctx.context, ctx.user);
  if (status === 403) {
    const m = FORBIDDEN_RE.exec(message);
    if (m) {
      const resource = m[4] ? `${m[3]}.${m[4]}` : (m[3] as string);
      return new ForbiddenError(subject, m[1] as string, m[2] as string, resource, m[5], message);
    }
    return new ForbiddenError(subject, ctx.user, ctx.verb, ctx.ref?.kind ?? "resource", ctx.ref?.namespace, message);
  }
  if (status === 409 && (body?.reason === "Conflict" || causes.some((c) => c.reason === "FieldManagerConflict"))) {
    const conflictCauses = causes.filter((c) => c.reason === "FieldManagerConflict");
    if (conflictCauses.length > 0) {
      const managers = new Set<string>();
      for (const c of conflictCauses) for (const m of (c.message ?? "").matchAll(CONFLICT_MANAGER_RE)) managers.add(m[1] as string);
      const fields = conflictCauses.map((c) => c.field ?? "").filter((f) => f !== "");
      return new FieldConflictError(subject, [...managers], fields);
    }
  }
  if (status === 500 && /failed to create typed patch object/.test(message)) {
    // Server-side apply answers 500 when the object does not match the schema (e.g. an unknown field).
    return new InvalidObjectError(subject, [message.replace(/^failed to create typed patch object \([^)]*\): /, "")]);
  }
  if (status === 422 || status === 400) {
    const immutable = causes.filter((c) => IMMUTABLE_RE.test(c.message ?? ""));
    if (immutable.length > 0 || (causes.length === 0 && IMMUTABLE_RE.test(message))) {
      const fields = immutable.map((c) => c.field ?? "").filter((f) => f !== "");
      return new ImmutableFieldError(subject, fields.length ? fields : ["(see message)"], recreateConsequence(ctx.ref?.kind ?? "object"), message);
    }
    const list = causes.length ? causes.map((c) => (c.field ? `${c.field}: ${c.message ?? c.reason}` : (c.message ?? c.reason ?? ""))) : [message];
    return new InvalidObjectError(subject, list);
  }
  return new ApiError(subject, status, message);
}
