import t from "tap";
import * as v from "valibot";
import { bundleSchema } from "../../schemas/bundle.ts";
import { suggestKey, toValueIssues } from "../../engine/issues.ts";

function issuesOf(input: unknown) {
  const result = v.safeParse(bundleSchema, input);
  return result.success ? [] : toValueIssues(bundleSchema, result.issues);
}

t.test("every schema error class is one line with its path", async (t) => {
  const issues = issuesOf({
    instances: {
      vectors: {
        namespace: "Search!",
        values: {
          chromadb: { apiVersion: "2.0.0", alowReset: true, auth: { type: "oidc" }, serverHttpPort: 0, persistDirectory: "data", openTelemetry: { endpoint: "nope" } },
          replicas: "1",
          zzzzzzzz: 1,
          extraEnv: [{ name: "A", valueFrom: { secretKeyRef: { name: "s" } } }, { name: "B" }],
          tolerations: [{ operator: "Maybe" }],
        },
      },
    },
  });
  const byPath = Object.fromEntries(issues.map((issue) => [issue.path, issue.message]));
  t.equal(byPath["instances.vectors.namespace"], 'expected a namespace name (DNS label), got "Search!"');
  t.equal(byPath["instances.vectors.values.chromadb.apiVersion"], 'expected a released Chroma version from 0.4.3 to 1.5.9, got "2.0.0"');
  t.equal(byPath["instances.vectors.values.chromadb.alowReset"], 'unknown key; did you mean "allowReset"?');
  t.equal(byPath["instances.vectors.values.chromadb.auth.type"], 'expected "token" | "basic", got "oidc"');
  t.equal(byPath["instances.vectors.values.chromadb.serverHttpPort"], "expected >=1, got 0");
  t.equal(byPath["instances.vectors.values.chromadb.persistDirectory"], 'expected an absolute path, got "data"');
  t.equal(byPath["instances.vectors.values.chromadb.openTelemetry.endpoint"], 'expected a URL, got "nope"');
  t.equal(byPath["instances.vectors.values.replicas"], 'expected number, got "1"');
  t.match(byPath["instances.vectors.values.zzzzzzzz"], /^unknown key; known keys here: chromadb, image, /);
  t.equal(byPath["instances.vectors.values.extraEnv.0.valueFrom.secretKeyRef.key"], "required key is missing", "union: the closest branch's issue");
  t.equal(byPath["instances.vectors.values.extraEnv.1"], 'expected an object with one of the keys "value" or "valueFrom"', "union of missing keys");
  t.equal(byPath["instances.vectors.values.tolerations.0.operator"], 'expected "Exists" | "Equal", got "Maybe"');
});

t.test("bundle-level errors", async (t) => {
  t.same(issuesOf({ instances: {} }), [{ path: "instances", message: "expected at least one instance, got {}" }]);
  t.same(issuesOf({ instances: { Bad_Name: {} } }).map((i) => i.path), ["instances.Bad_Name"]);
  t.same(issuesOf({}).map((i) => i.path), ["instances"]);
});

t.test("suggestKey", async (t) => {
  t.equal(suggestKey("alowReset", ["allowReset", "auth"]), "allowReset");
  t.equal(suggestKey("PERSISTENT", ["isPersistent"]), "isPersistent");
  t.equal(suggestKey("xyz", ["allowReset"]), undefined);
});
