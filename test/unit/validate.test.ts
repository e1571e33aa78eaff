/** vet shows every problem in one run: every unknown key, gate checks beside schema errors, shared objects. */
import t from "tap";
import * as v from "valibot";
import { ValidationError } from "../../engine/errors.ts";
import { evaluate } from "../../engine/evaluate.ts";
import { validateAll } from "../../engine/validate.ts";
import { chromaModule } from "../../module/index.ts";

const file = "x.config.ts";
function issues(bundle: unknown): { path: string; message: string }[] {
  try {
    evaluate(chromaModule, bundle, { file });
  } catch (error) {
    if (error instanceof ValidationError) return [...error.issues];
    throw error;
  }
  return [];
}
const paths = (bundle: unknown) => issues(bundle).map((issue) => issue.path);

t.test("every unknown key of every object, in one run (a pasted Helm values.yaml)", async (t) => {
  const pasted = {
    chromadb: {
      apiVersion: "0.4.24",
      allowReset: true,
      isPersistent: true,
      serverAuthProvider: "x",
      serverAuthCredentialsProvider: "y",
      serverAuthTokenTransportHeader: "z",
    },
    podSecurityContext: { fsGroup: 1000 },
    ingress: { enabled: false, hosts: [{ host: "a.example", paths: [{ path: "/", pathType: "Prefix", backend: 1, port: 2 }] }] },
    tolerations: [{ operater: "Equal", efect: "NoSchedule" }],
    fullnameOverride: "",
    nameOverride: "",
    initContainers: [],
  };
  t.same(paths({ instances: { a: { values: pasted } } }).sort(), [
    "a.values.chromadb.serverAuthCredentialsProvider",
    "a.values.chromadb.serverAuthProvider",
    "a.values.chromadb.serverAuthTokenTransportHeader",
    "a.values.fullnameOverride",
    "a.values.ingress.hosts.0.paths.0.backend",
    "a.values.ingress.hosts.0.paths.0.port",
    "a.values.initContainers",
    "a.values.nameOverride",
    "a.values.tolerations.0.efect",
    "a.values.tolerations.0.operater",
  ]);
});

t.test("version gates beside schema errors: checks run on what parsed, not on the values that did not", async (t) => {
  const found = issues({
    instances: {
      a: { values: { chromadb: { apiVersion: "0.4.6" }, replicas: "2", labels: { "bad key": "x" } } },
      b: { values: { chromadb: { apiVersion: "0.4.6", auth: { type: "oidc" } } } },
      c: { values: 5 },
      Bad_Name: {},
    },
  });
  const byPath = Object.fromEntries(found.map((issue) => [issue.path, issue.message]));
  t.match(byPath["a.values.chromadb.auth.type"], /token auth needs Chroma >= 0\.4\.8/, "a's gate error, despite a's schema errors");
  t.match(byPath["a.values.replicas"], /expected number/);
  t.match(byPath["b.values.chromadb.auth.type"], /^expected "token" \| "basic"/, "b's auth.type was cut out: no gate message about the default in its place");
  t.equal(found.filter((issue) => issue.path === "b.values.chromadb.auth.type").length, 1);
  t.same(
    found.filter((issue) => issue.path.startsWith("c.")).map((issue) => issue.path),
    ["c.values"],
    "nothing checked on values that are not values",
  );
  t.ok(byPath.Bad_Name);
  t.same([...new Set(found.map((issue) => issue.path.split(".")[0]))], ["a", "b", "c", "Bad_Name"], "grouped by instance, in the bundle's order");
  const cutVersion = issues({ instances: { a: { values: { chromadb: { apiVersion: "1.0.1", serverHost: "0.0.0.0" }, replicas: 2 } } } });
  t.same(
    cutVersion.map((issue) => issue.path),
    ["a.values.chromadb.apiVersion", "a.values.replicas"],
    "no check about chromadb, whose version was cut: they would name the default version",
  );
});

t.test("input with no output to check: issues only", async (t) => {
  t.same(paths(5), [""]);
  t.same(paths({ instances: {} }), ["instances"]);
  const result = validateAll(v.strictObject({ a: v.array(v.string()) }), { a: [1, "x", 2] });
  t.same(result.cut, ["a"], "an array element is cut with its array");
  t.same(result.output, undefined, "a required key that had to be cut leaves no output");
  const cyclic: Record<string, unknown> = { a: ["x"] };
  cyclic.self = cyclic;
  t.same(validateAll(v.strictObject({ a: v.array(v.string()) }), cyclic).cut, ["self"], "a cycle is copied, not followed forever");
});

t.test("objects two instances would both own", async (t) => {
  const found = issues({
    instances: {
      a: { namespace: "team", values: { serviceAccount: { name: "b" } } },
      b: { namespace: "team" },
      c: { namespace: "other", values: { serviceAccount: { name: "b" } } },
    },
  });
  t.same(
    found.map((issue) => issue.path),
    ["b"],
    "b's ServiceAccount b is a's; c's is in another namespace",
  );
  t.match(found[0]!.message, /instance "b" renders ServiceAccount "team\/b", which instance "a" renders too/);
  const named = issues({ instances: { a: { namespace: "team" }, b: { namespace: "team", values: { serviceAccount: { name: "a" } } } } });
  t.same(
    named.map((issue) => issue.path),
    ["b.values.serviceAccount.name"],
    "the value that named it",
  );
  const unnamed = issues({
    instances: { a: { namespace: "team", values: { serviceAccount: { name: "b" } } }, b: { namespace: "team", values: { labels: { x: "y" } } } },
  });
  t.same(
    unnamed.map((issue) => issue.path),
    ["b"],
    "no value of b names it: the instance",
  );
  t.same(
    paths({ instances: { a: { namespace: "x", createNamespace: true }, b: { namespace: "x", createNamespace: true } } }),
    [],
    "a namespace is the bundle's, not a duplicate",
  );
});

t.test("namespaces Kubernetes owns are never created by a bundle", async (t) => {
  for (const namespace of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
    const [issue] = issues({ instances: { a: { namespace, createNamespace: true } } });
    t.equal(issue?.path, "a.createNamespace", namespace);
    t.match(issue?.message, `"${namespace}" is a namespace Kubernetes creates and uses itself`);
  }
  t.same(paths({ instances: { a: { namespace: "kube-system" } } }), [], "deploying into it is allowed");
});

t.test("image.digest: pinned by digest, with or without a tag", async (t) => {
  const digest = `sha256:${"a".repeat(64)}`;
  const image = (values: unknown) => {
    const [instance] = evaluate(chromaModule, { instances: { a: { values } } }, { file });
    const sts = instance!.objects.find((object) => object.kind === "StatefulSet") as unknown as {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    return sts.spec.template.spec.containers[0]!.image;
  };
  t.equal(image({ image: { digest } }), `ghcr.io/chroma-core/chroma@${digest}`);
  t.equal(image({ image: { digest, tag: "1.5.9" } }), `ghcr.io/chroma-core/chroma:1.5.9@${digest}`);
  t.equal(image({}), "ghcr.io/chroma-core/chroma:1.5.9");
  t.match(issues({ instances: { a: { values: { image: { tag: digest } } } } })[0]?.message, /A digest such as sha256:… goes in image\.digest/);
  t.same(paths({ instances: { a: { values: { image: { repository: "ghcr.io/chroma core/chroma\n" } } } } }), ["a.values.image.repository"]);
});

t.test("autoscaling: the chart's block carries over disabled, and is refused enabled, with the reason", async (t) => {
  const chartDefault = { enabled: false, minReplicas: 1, maxReplicas: 100, targetCPUUtilizationPercentage: 80 };
  t.same(issues({ instances: { a: { values: { autoscaling: chartDefault } } } }), [], "the chart's default block is accepted");
  const [instance] = evaluate(chromaModule, { instances: { a: { values: { autoscaling: chartDefault } } } }, { file });
  t.notOk(
    instance!.objects.some((o) => o.kind === "HorizontalPodAutoscaler"),
    "and renders nothing",
  );
  t.same(issues({ instances: { a: { values: { autoscaling: { enabled: true, maxReplicas: 3 } } } } }), [
    {
      path: "a.values.autoscaling.enabled",
      message:
        "autoscaling is refused: Chroma is a single-node server (one process owns its SQLite and HNSW files), so a HorizontalPodAutoscaler cannot add replicas that serve the same data. Fix: remove autoscaling (or set enabled: false) and size the pod with resources, got true",
    },
  ]);
  t.same(paths({ instances: { a: { values: { autoscaling: { enabled: "no" } } } } }), ["a.values.autoscaling.enabled"], "a non-boolean: the same path");
});

t.test("nameOverride and fullnameOverride: the chart's naming values", async (t) => {
  const [instance] = evaluate(
    chromaModule,
    {
      instances: {
        a: { namespace: "ns", values: { nameOverride: "chromadb", fullnameOverride: "prod-chromadb", chromadb: { auth: { enabled: true, type: "basic" } } } },
      },
    },
    { file },
  );
  const names = instance!.objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
  t.same(names, [
    "ConfigMap/prod-chromadb-config",
    "NetworkPolicy/prod-chromadb",
    "Service/prod-chromadb",
    "ServiceAccount/prod-chromadb",
    "StatefulSet/prod-chromadb",
  ]);
  t.same(
    instance!.generatedSecrets.map((s) => s.metadata.name),
    ["prod-chromadb-auth"],
  );
  const sts = instance!.objects.find((o) => o.kind === "StatefulSet") as unknown as {
    spec: { selector: { matchLabels: Record<string, string> }; serviceName: string; template: { spec: { serviceAccountName: string } } };
  };
  t.same(
    sts.spec.selector.matchLabels,
    { "app.kubernetes.io/name": "chromadb", "app.kubernetes.io/instance": "a" },
    "nameOverride is the name label, selector included",
  );
  t.equal(sts.spec.serviceName, "prod-chromadb");
  t.ok(
    instance!.objects.every((o) => o.metadata.labels?.["app.kubernetes.io/name"] === "chromadb"),
    "on every object",
  );
  t.same(paths({ instances: { a: { values: { fullnameOverride: "Prod_Chroma" } } } }), ["a.values.fullnameOverride"], "not a name: refused");
  t.same(paths({ instances: { a: { values: { fullnameOverride: "x".repeat(41) } } } }), ["a.values.fullnameOverride"], "too long for the suffixes: refused");
  t.same(paths({ instances: { a: { values: { nameOverride: "" } } } }), ["a.values.nameOverride"], "an empty name label: refused");
  const clash = issues({ instances: { a: { namespace: "ns", values: { fullnameOverride: "shared" } }, shared: { namespace: "ns" } } });
  t.ok(clash.length > 0, "two instances that would own the same objects: refused", { clash });
  t.match(clash[0]?.message ?? "", /shared/);
});

t.test("chromadb.logging: the chart's log levels, 0.x only, in the module's log config", async (t) => {
  const at = (chromadb: unknown) => ({ instances: { a: { namespace: "ns", values: { chromadb } } } });
  const [instance] = evaluate(chromaModule, at({ apiVersion: "0.6.3", logging: { root: "ERROR", chromadb: "DEBUG", uvicorn: "WARNING" } }), { file });
  const cm = instance!.objects.find((o) => o.kind === "ConfigMap") as unknown as { data: Record<string, string> };
  t.match(cm.data["log_config.yaml"], /root:\n {2}level: ERROR\n/);
  t.match(cm.data["log_config.yaml"], /chromadb:\n {4}level: DEBUG\n {2}uvicorn:\n {4}level: WARNING\n/);
  const [plain] = evaluate(chromaModule, at({ apiVersion: "0.6.3" }), { file });
  t.match(
    (plain!.objects.find((o) => o.kind === "ConfigMap") as unknown as { data: Record<string, string> }).data["log_config.yaml"],
    /root:\n {2}level: WARNING\n/,
    "the module's levels by default",
  );
  t.match(
    issues(at({ apiVersion: "1.5.9", logging: { root: "INFO" } }))[0]?.message ?? "",
    /^Chroma 1\.5\.9 does not read this setting \(it applies to 0\.x only\)/,
  );
  t.same(
    paths(at({ apiVersion: "0.6.3", logging: { root: "debug" } })),
    ["a.values.chromadb.logging.root"],
    "lower case: refused (import helm upper-cases the chart's)",
  );
  t.match(
    issues(at({ apiVersion: "0.6.3", logging: { root: "INFO" }, logConfig: "version: 1\n" }))[0]?.message ?? "",
    /^chromadb\.logConfig replaces the module's log config/,
  );
  t.match(
    issues(at({ apiVersion: "0.6.3", logging: { root: "INFO" }, logConfigFileLocation: "/etc/x.yaml" }))[0]?.message ?? "",
    /^chromadb\.logConfigFileLocation points uvicorn away from/,
  );
});

t.test("sqliteFilename and extraConfig: 1.x config keys, extraConfig merged under the module's own", async (t) => {
  const at = (chromadb: unknown) => ({ instances: { a: { namespace: "ns", values: { chromadb } } } });
  const configOf = (chromadb: unknown) => {
    const [instance] = evaluate(chromaModule, at(chromadb), { file });
    return (instance!.objects.find((o) => o.kind === "ConfigMap") as unknown as { data: Record<string, string> }).data["config.yaml"]!;
  };
  const config = configOf({
    apiVersion: "1.5.9",
    sqliteFilename: "vectors.sqlite3",
    sqliteMigrationMode: "validate",
    extraConfig: { sqlitedb: { hash_type: "md5" }, circuit_breaker: { requests: 100 }, open_telemetry: { filters: [{ function_name: "*" }] } },
    openTelemetry: { endpoint: "http://collector:4317" },
  });
  t.match(config, /^sqlite_filename: vectors\.sqlite3$/m);
  t.match(config, /^sqlitedb:\n {2}migration_mode: validate\n {2}hash_type: md5$/m, "merged key by key with the module's sqlitedb");
  t.match(config, /^circuit_breaker:\n {2}requests: 100$/m);
  t.match(config, /^open_telemetry:\n {2}endpoint: http:\/\/collector:4317\n {2}service_name: a\n {2}filters:\n/m);
  t.match(configOf({ apiVersion: "1.5.9", extraConfig: { compactor: { disabled: true } } }), /^compactor:\n {2}disabled: true$/m, "any other key, as given");
  const owned = issues(at({ apiVersion: "1.5.9", extraConfig: { port: 9000, sqlitedb: { migration_mode: "apply" }, open_telemetry: "off" } }));
  t.same(
    owned.map((i) => i.path),
    ["a.values.chromadb.extraConfig.port", "a.values.chromadb.extraConfig.sqlitedb.migration_mode", "a.values.chromadb.extraConfig.open_telemetry"],
    "a key the module renders, or a value replacing a section that holds one",
  );
  t.match(
    owned[2]!.message,
    /^the module renders open_telemetry of Chroma's config from its own values \(chromadb\.openTelemetry\.endpoint, …\), so extraConfig may not set it\. Fix: set chromadb\.openTelemetry\.endpoint instead\./,
  );
  t.match(
    owned[0]!.message,
    /^the module renders port of Chroma's config from chromadb\.serverHttpPort \(proxy\.upstreamPort behind the auth proxy\), so extraConfig may not set it\. Fix: set chromadb\.serverHttpPort instead\./,
  );
  for (const key of ["sqliteFilename", "extraConfig"]) {
    t.match(
      issues(at({ apiVersion: "0.6.3", [key]: key === "extraConfig" ? {} : "x.sqlite3" }))[0]?.message ?? "",
      /^Chroma 0\.6\.3 does not read this setting \(it applies to 1\.x only\)/,
      `${key}: 1.x only`,
    );
  }
  t.same(paths(at({ apiVersion: "1.5.9", sqliteFilename: "../x" })), ["a.values.chromadb.sqliteFilename"], "a file name, not a path");
});

t.test("extraConfig: the chart's keys checked as Chroma checks them when it loads its config", async (t) => {
  const at = (extraConfig: unknown) => ({ instances: { a: { namespace: "ns", values: { chromadb: { apiVersion: "1.5.9", extraConfig } } } } });
  const paths = (extraConfig: unknown) => issues(at(extraConfig)).map((i) => i.path.replace("a.values.chromadb.extraConfig.", ""));
  t.same(
    paths({
      circuit_breaker: { requests: 0 },
      sqlitedb: { hash_type: "sha256" },
      segment_manager: { hnsw_index_pool_cache_config: { lru: { capacity: 5 } } },
    }),
    [],
    "what Chroma 1.5.9 starts with",
  );
  t.same(paths({ circuit_breaker: {}, sqlitedb: {}, segment_manager: {} }), [], "sections without those keys");
  for (const requests of [-1, 1.5, "many", 4_294_967_296]) t.same(paths({ circuit_breaker: { requests } }), ["circuit_breaker.requests"], String(requests));
  t.same(paths({ sqlitedb: { hash_type: "sha1" } }), ["sqlitedb.hash_type"]);
  for (const pool of [{ policy: "memory", capacity: 5 }, { bogus: {} }, "memory", {}])
    t.same(paths({ segment_manager: { hnsw_index_pool_cache_config: pool } }), ["segment_manager.hnsw_index_pool_cache_config"], JSON.stringify(pool));
  t.match(
    issues(at({ segment_manager: { hnsw_index_pool_cache_config: { policy: "memory", capacity: 5 } } }))[0]!.message,
    /^Chroma reads a map with one key, the cache policy \(unbounded, disk, lfu, lru, memory, weighted_lru, nop\), holding its settings, and refuses to start on anything else\. Fix: e\.g\. \{ memory: \{ capacity: 1000 \} \}\./,
  );
});
