import t from "tap";
import * as v from "valibot";
import { bundleSchema } from "../../schemas/bundle.ts";
import { suggestKey, toValueIssues } from "../../core/issues.ts";

function issuesOf(input: unknown) {
  const result = v.safeParse(bundleSchema, input);
  return result.success ? [] : toValueIssues(result.issues);
}

t.test("every schema error class is one line with its path", async (t) => {
  const issues = issuesOf({
    instances: {
      vectors: {
        namespace: "Search!",
        values: {
          chromadb: {
            apiVersion: "2.0.0",
            alowReset: true,
            auth: { type: "oidc" },
            serverHttpPort: 0,
            persistDirectory: "data",
            openTelemetry: { endpoint: "nope" },
          },
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
  t.equal(
    byPath["instances.vectors.values.chromadb.apiVersion"],
    "Chroma 2.0.0 is newer than the newest release this module knows (1.5.9): its settings are unverified. Use 1.5.9, or upgrade chroma-mod (supported: every release from 0.4.3 to 1.5.9)",
  );
  t.equal(byPath["instances.vectors.values.chromadb.alowReset"], 'unknown key; did you mean "allowReset"?');
  t.equal(
    byPath["instances.vectors.values.chromadb.auth.type"],
    'expected "token" | "basic", got a string of 4 characters (not shown: values under auth are never printed)',
  );
  t.equal(byPath["instances.vectors.values.chromadb.serverHttpPort"], "expected >=1, got 0");
  t.equal(byPath["instances.vectors.values.chromadb.persistDirectory"], "expected an absolute path without spaces or ':', got \"data\"");
  t.equal(byPath["instances.vectors.values.chromadb.openTelemetry.endpoint"], 'expected a URL, got "nope"');
  t.equal(byPath["instances.vectors.values.replicas"], 'expected number, got "1"');
  t.match(byPath["instances.vectors.values.zzzzzzzz"], /^unknown key; known keys here: chromadb, image, /);
  t.equal(byPath["instances.vectors.values.extraEnv.0.valueFrom.secretKeyRef.key"], "required key is missing", "union: the closest branch's issue");
  t.equal(byPath["instances.vectors.values.extraEnv.1"], 'expected an object with one of the keys "value" or "valueFrom"', "union of missing keys");
  t.equal(byPath["instances.vectors.values.tolerations.0.operator"], 'expected "Exists" | "Equal", got "Maybe"');
});

t.test("bundle-level errors", async (t) => {
  t.same(issuesOf({ instances: {} }), [{ path: "instances", message: "expected at least one instance, got 0" }]);
  t.same(
    issuesOf({ instances: { Bad_Name: {} } }).map((i) => i.path),
    ["instances.Bad_Name"],
  );
  t.same(
    issuesOf({}).map((i) => i.path),
    ["instances"],
  );
});

t.test("suggestKey", async (t) => {
  t.equal(suggestKey("alowReset", ["allowReset", "auth"]), "allowReset");
  t.equal(suggestKey("PERSISTENT", ["isPersistent"]), "isPersistent");
  t.equal(suggestKey("xyz", ["allowReset"]), undefined);
});

t.test("inputs that crashed the formatter: non-integers, unknown keys in array elements, BigInt", async (t) => {
  const byPath = (values: unknown) => Object.fromEntries(issuesOf({ instances: { a: { values } } }).map((issue) => [issue.path, issue.message]));
  t.same(byPath({ replicas: 1.5 }), { "instances.a.values.replicas": "expected an integer, got 1.5" });
  t.same(byPath({ tolerations: [{ operater: "Equal" }] }), { "instances.a.values.tolerations.0.operater": 'unknown key; did you mean "operator"?' });
  t.same(byPath({ replicas: 10n }), { "instances.a.values.replicas": "expected number, got 10" });
  t.same(byPath({ replicas: 1e30 }), { "instances.a.values.replicas": "expected <=2147483647, got 1e+30" }, "bounded: no exponent form is ever rendered");
  t.same(byPath({ labels: { "a b": "x" } }), {
    "instances.a.values.labels.a b":
      "expected a label key (`name` or `prefix/name`: letters, digits, '-', '_', '.', at most 63 characters after the prefix), got \"a b\"",
  });
  t.same(Object.keys(byPath({ labels: { team: "x\ny" }, nodeSelector: { "example.com/zone": "-a" } })), [
    "instances.a.values.nodeSelector.example.com/zone",
    "instances.a.values.labels.team",
  ]);
  const long = byPath({ image: { tag: "t".repeat(300) } })["instances.a.values.image.tag"]!;
  t.ok(long.endsWith('..."'), "long values are cut short");
  t.ok(long.length < 300);
  t.equal(
    byPath({ extraEnv: [{ nope: 1 }] })["instances.a.values.extraEnv.0"],
    "expected an object of exactly one of the allowed shapes (it mixes keys of several)",
  );
});

t.test("a schema's own unknown-key message, and objects that are not objects", async (t) => {
  const plain = v.safeParse(v.strictObject({ a: v.string() }), { a: "x", b: 1 });
  t.same(toValueIssues(plain.issues!), [{ path: "b", message: "unknown key" }], "a strict object without our message still says what is wrong");
  t.same(issuesOf({ instances: { a: { values: { chromadb: "x" } } } }), [{ path: "instances.a.values.chromadb", message: 'expected Object, got "x"' }]);
  t.same(
    issuesOf({ instances: { a: { values: { chromadb: { zzzzzzzzzzzz: 1 } } } } })[0]?.message.startsWith("unknown key; known keys here: apiVersion, "),
    true,
  );
  t.same(issuesOf({ instances: { a: { values: { chromadb: { [`k${"x".repeat(200)}`]: 1 } } } } }).length, 1, "no edit distance over huge keys");
});

t.test("values under auth are never echoed", async (t) => {
  const messages = issuesOf({
    instances: { a: { values: { chromadb: { auth: { token: "sk-live-abcdef", basic: { username: "a:b" }, existingSecret: 5 } } } } },
  }).map((issue) => issue.message);
  t.equal(messages.length, 3);
  for (const message of messages) t.notMatch(message, /sk-live|a:b/);
  t.match(messages.join("\n"), /not shown/);
});

t.test("apiVersion: why a number is refused, and the nearest releases", async (t) => {
  const message = (apiVersion: unknown) => issuesOf({ instances: { a: { values: { chromadb: { apiVersion } } } } })[0]?.message;
  t.equal(
    message("1.0.1"),
    "Chroma never published 1.0.1 (PyPI and the image registry have no such release), so there is nothing to run. Nearest releases: 1.0.0 and 1.0.2 (supported: every release from 0.4.3 to 1.5.9)",
  );
  t.match(message("0.3.9"), /older than the oldest release this module supports \(0\.4\.3\)/);
  t.match(message(1.1), /got the number 1\.1: quote it/);
  t.match(message("latest"), /expected a Chroma release like "1\.5\.9", got "latest"/);
  t.match(message(true), /got boolean/);
});

t.test("unions: a failed check of the right type beats a wrong type; actions without an expectation", async (t) => {
  const parse = (schema: v.GenericSchema, input: unknown) => toValueIssues(v.safeParse(schema, input).issues!);
  t.same(parse(v.union([v.pipe(v.number(), v.minValue(0)), v.string()]), -5), [{ path: "", message: "expected >=0, got -5" }]);
  t.same(parse(v.union([v.string(), v.pipe(v.number(), v.minValue(0))]), -5), [{ path: "", message: "expected >=0, got -5" }]);
  t.same(parse(v.union([v.string(), v.number()]), true), [{ path: "", message: "expected string, got true" }]);
  t.same(
    parse(
      v.pipe(
        v.string(),
        v.check((text) => text.length > 2, "too short"),
      ),
      "ab",
    ),
    [{ path: "", message: 'too short, got "ab"' }],
  );
  t.same(parse(v.pipe(v.number(), v.safeInteger()), 0.5), [{ path: "", message: "expected an integer, got 0.5" }]);
});

t.test("what the API server refuses is refused by the schema, with the path", async (t) => {
  const refused = (values: unknown) => issuesOf({ instances: { a: { values } } }).map((issue) => issue.path.replace("instances.a.values.", ""));
  t.same(refused({ podSecurityContext: { seccompProfile: { type: "Localhost", localhostProfile: "../x.json" } } }), [
    "podSecurityContext.seccompProfile.localhostProfile",
  ]);
  t.same(refused({ securityContext: { seccompProfile: { type: "Localhost", localhostProfile: "/abs.json" } } }), [
    "securityContext.seccompProfile.localhostProfile",
  ]);
  t.same(refused({ podAnnotations: { a: "x".repeat(65537) } }), ["podAnnotations.a"]);
  t.same(refused({ chromadb: { logConfig: "x".repeat(262145) } }), ["chromadb.logConfig"]);
  t.same(
    refused({
      resources: { requests: { cpu: "abc", memory: -5 } },
      chromadb: { dataVolumeSize: "0", serverHttpPort: 70000, corsAllowOrigins: ["https://a.example/path"] },
      serviceAccount: { name: "../../x" },
      ingress: { tls: [{ secretName: "*" }], hosts: [{ host: "10.0.0.1" }] },
      extraEnv: [{ name: "1X", value: "" }],
      image: { repository: "Chroma Core" },
    }).sort(),
    [
      "chromadb.corsAllowOrigins.0",
      "chromadb.dataVolumeSize",
      "chromadb.serverHttpPort",
      "extraEnv.0.name",
      "image.repository",
      "ingress.hosts.0.host",
      "ingress.tls.0.secretName",
      "resources.requests.cpu",
      "resources.requests.memory",
      "serviceAccount.name",
    ],
  );
});

t.test("an Ingress host needs a path (the API server requires one)", async (t) => {
  t.same(issuesOf({ instances: { a: { values: { ingress: { enabled: true, hosts: [{ host: "a.example", paths: [] }] } } } } }), [
    { path: "instances.a.values.ingress.hosts.0.paths", message: "expected at least one path, got 0" },
  ]);
});
