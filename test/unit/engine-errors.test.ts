import t from "tap";
import {
  ApiError,
  ClusterUnreachableError,
  describeRef,
  describeSubject,
  errorFromResponse,
  FieldConflictError,
  ForbiddenError,
  ImmutableFieldError,
  InvalidObjectError,
  KindNotFoundError,
  NamespaceNotFoundError,
  recreateConsequence,
  UnauthorizedError,
} from "../../engine/kube/errors.ts";

const ref = { apiVersion: "apps/v1", kind: "StatefulSet", name: "db", namespace: "demo" };
const ctx = { ref, server: "https://k:6443", context: "c", user: "u", verb: "patch" };

t.test("describe", async (t) => {
  t.equal(describeRef(ref), 'StatefulSet "db" in namespace "demo"');
  t.equal(describeRef({ apiVersion: "v1", kind: "Namespace", name: "n" }), 'Namespace "n"');
  t.equal(describeSubject({ what: "list pods" }), "list pods");
  t.equal(describeSubject({}), "the request");
});

t.test("401", async (t) => {
  const e = errorFromResponse(401, { message: "Unauthorized" }, ctx);
  t.type(e, UnauthorizedError);
  t.match(e.message, /https:\/\/k:6443.*"u".*"c".*expired/);
  t.match(e.hint, /Log in again/);
});

t.test("403 parsed from the server message", async (t) => {
  const e = errorFromResponse(
    403,
    { message: 'secrets "x" is forbidden: User "alice" cannot get resource "secrets" in API group "" in the namespace "demo"' },
    ctx,
  );
  t.type(e, ForbiddenError);
  t.match(e, { user: "alice", verb: "get", resource: "secrets", namespace: "demo" });
  t.match(e.message, /user "alice" may not get secrets in namespace "demo"/);
  const g = errorFromResponse(
    403,
    { message: 'User "bob" cannot list resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope' },
    { ...ctx, ref: undefined, what: "x" },
  ) as ForbiddenError;
  t.equal(g.resource, "clusterroles.rbac.authorization.k8s.io");
  t.match(g.message, /at cluster scope/);
  const h = errorFromResponse(403, {}, ctx) as ForbiddenError;
  t.match(h, { user: "u", verb: "patch", resource: "StatefulSet", namespace: "demo" });
  const i = errorFromResponse(403, {}, { ...ctx, ref: undefined }) as ForbiddenError;
  t.match(i, { resource: "resource", namespace: undefined });
});

t.test("409 field-manager conflict", async (t) => {
  const body = {
    reason: "Conflict",
    message: "Apply failed with 2 conflicts",
    details: {
      causes: [
        { reason: "FieldManagerConflict", message: 'conflict with "kubectl-edit" using apps/v1', field: ".spec.replicas" },
        { reason: "FieldManagerConflict", message: 'conflict with "helm" using apps/v1' },
      ],
    },
  };
  const e = errorFromResponse(409, body, ctx) as FieldConflictError;
  t.type(e, FieldConflictError);
  t.same(e.managers, ["kubectl-edit", "helm"]);
  t.same(e.fields, [".spec.replicas"]);
  t.match(e.message, /\.spec\.replicas is owned by "kubectl-edit", "helm"/);
  t.match(e.hint, /--force-conflicts/);
  const two = new FieldConflictError("x", ["m"], ["a", "b"]);
  t.match(two.message, /a, b are owned/);
  t.match(new FieldConflictError("x", ["m"], []).message, /some fields are owned/);
  const noMessage = errorFromResponse(409, { reason: "Conflict", details: { causes: [{ reason: "FieldManagerConflict" }] } }, ctx) as FieldConflictError;
  t.same(noMessage.managers, []);
  t.type(errorFromResponse(409, { reason: "Conflict", message: "the object has been modified" }, ctx), ApiError);
  t.type(errorFromResponse(409, { reason: "AlreadyExists" }, ctx), ApiError);
});

t.test("422 immutable and invalid", async (t) => {
  const sts = errorFromResponse(
    422,
    {
      message: 'StatefulSet.apps "db" is invalid: spec: Forbidden: updates to statefulset spec for fields other than ... are forbidden',
      details: {
        causes: [
          { reason: "FieldValueForbidden", message: "Forbidden: updates to statefulset spec for fields other than 'replicas' are forbidden", field: "spec" },
        ],
      },
    },
    ctx,
  ) as ImmutableFieldError;
  t.type(sts, ImmutableFieldError);
  t.same(sts.fields, ["spec"]);
  t.match(sts.hint, /--force.*orphan/);
  const dep = errorFromResponse(
    422,
    { message: "x", details: { causes: [{ message: "field is immutable" }] } },
    { ...ctx, ref: { ...ref, kind: "Deployment" } },
  ) as ImmutableFieldError;
  t.same(dep.fields, ["(see message)"]);
  t.match(dep.hint, /background/);
  const msgOnly = errorFromResponse(400, { message: "spec.selector: field is immutable" }, { ...ctx, ref: undefined }) as ImmutableFieldError;
  t.type(msgOnly, ImmutableFieldError);
  t.match(msgOnly.hint, /object is deleted and re-created/);
  const inv = errorFromResponse(
    422,
    { message: "bad", details: { causes: [{ field: "spec.x", message: "Required value" }, { reason: "FieldValueInvalid" }, {}] } },
    ctx,
  ) as InvalidObjectError;
  t.type(inv, InvalidObjectError);
  t.same(inv.causes, ["spec.x: Required value", "FieldValueInvalid", ""]);
  t.same((errorFromResponse(422, { message: "whole" }, ctx) as InvalidObjectError).causes, ["whole"]);
  t.same((errorFromResponse(422, { details: { causes: [{ field: "f", reason: "R" }] } }, ctx) as InvalidObjectError).causes, ["f: R"]);
  t.match(new ImmutableFieldError("x", ["a", "b"], "r", "m").message, /immutable fields a, b/);
});

t.test("other statuses", async (t) => {
  const typed = errorFromResponse(
    500,
    { message: "failed to create typed patch object (ns/ok; /v1, Kind=ConfigMap): .dta: field not declared in schema" },
    ctx,
  ) as InvalidObjectError;
  t.type(typed, InvalidObjectError);
  t.same(typed.causes, [".dta: field not declared in schema"]);
  const e = errorFromResponse(500, undefined, ctx) as ApiError;
  t.equal(e.status, 500);
  t.match(e.message, /HTTP 500/);
  t.match(e.hint, /failing/);
  t.match(errorFromResponse(404, { message: "nope" }, ctx).hint, /not a problem/);
});

t.test("constructors", async (t) => {
  t.match(new ClusterUnreachableError("https://s", "/k", "c", "ECONNREFUSED").message, /https:\/\/s.*"c".*\/k.*ECONNREFUSED/);
  t.match(new KindNotFoundError("example.com/v1", "Widget", 'Widget "w"').message, /kind "Widget"/);
  t.match(new NamespaceNotFoundError("n").hint, /kubectl create namespace n/);
  const named = new NamespaceNotFoundError("n", "vectors");
  t.equal(named.message, 'Namespace "n" does not exist, and the bundle does not create it (instance "vectors" lives in it).');
  t.match(named.hint, /^Set `vectors\.createNamespace: true` in the bundle/, "the hint names the value to set");
  t.equal(new NamespaceNotFoundError("n").name, "NamespaceNotFoundError");
  t.match(recreateConsequence("Job"), /background/);
  t.match(recreateConsequence("ConfigMap"), /deleted and re-created/);
});
