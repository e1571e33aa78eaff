/** The Helm chart's values as chroma-mod values (module/helm-import.ts): the three charts, every key, each rule. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { parse } from "yaml";
import { importHelmValues } from "../../module/helm-import.ts";
import { chartDir, type chartVersions } from "../fixtures/charts.ts";

const chart = (file: string) => parse(readFileSync(file, "utf8"), { uniqueKeys: false }) as Record<string, unknown>;
const fixture = (version: (typeof chartVersions)[number]) => chart(join(chartDir(version), "values.yaml"));

t.test("the three charts' default values: every key known, defaults left to chroma-mod, the version when the values say it", async (t) => {
  for (const [version, chromaVersion] of [
    ["0.2.2", undefined],
    ["0.1.23", undefined],
    ["0.1.20", "0.4.21"],
  ] as const) {
    const r = importHelmValues(fixture(version));
    t.same(
      r.notes.filter((n) => n.kind === "dropped").map((n) => n.chart),
      version === "0.2.2" ? [] : ["chromadb.corsAllowOrigins"],
      `chart ${version}: nothing set away from chroma-mod's defaults is lost but the 0.1.x charts' CORS for any origin`,
    );
    t.equal(r.chromaVersion, chromaVersion, `chart ${version}: the Chroma version the values name`);
    const chroma = r.values.chromadb as Record<string, unknown>;
    t.equal(chroma.dataVolumeSize, "1Gi", `chart ${version}: the data volume size carries over`);
    t.same(
      chroma.auth,
      {
        enabled: true,
        type: "token",
        basic: { username: "chroma" },
        token: { tokenHeader: "Authorization" },
        ...(chromaVersion ? { existingSecret: "chromadb-auth" } : {}),
      },
      "auth carries over; on 0.x (the version known) with the chart's token Secret",
    );
    t.notOk("probes" in r.values, "the chart's probe defaults give way to chroma-mod's");
    t.notOk("ingress" in r.values, "the chart's Ingress is off: nothing of it carries over");
  }
  t.same(importHelmValues(fixture("0.1.20")).values.service as object, { type: "NodePort" }, "0.1.20 defaulted to a NodePort Service: kept");
});

t.test("every key of chart 0.2.2 set: each mapped, or listed with the reason", async (t) => {
  const r = importHelmValues(chart("test/fixtures/helm/every-key.values.yaml"));
  t.same(
    r.notes.filter((n) => n.kind === "dropped").map((n) => n.chart),
    [
      "autoscaling",
      "podSpec.annotations",
      "podSpec.initContainers",
      "chromadb.logConfigFileLocation",
      "chromadb.logConfigMap",
      "chromadb.logging",
      "chromadb.maintenance",
      "chromadb.auth.basic.password",
      "chromadb.auth.token.value",
      "unknownTopLevel",
    ],
    "what has no home, and what a 1.x release never read (log levels, the 0.x cache settings)",
  );
  t.notMatch(JSON.stringify(r), /hunter2|s3cr3t-token/, "credentials never reach the values or the notes");
  t.equal(r.chromaVersion, "1.5.9", "from image.tag");
  const v = r.values as Record<string, Record<string, unknown>>;
  t.equal(v.image!.repository, "registry.example/chroma-core/chroma", "image.registry prefixes the repository (over global.imageRegistry)");
  t.same(v.imagePullSecrets, ["global-pull", "pull"], "both lists of pull secrets, as names");
  t.same(v.service, { type: "NodePort", nodePort: 30080 }, "numbers given as strings become numbers");
  t.equal(v.terminationGracePeriodSeconds, 60);
  t.same((v.probes as Record<string, unknown>).liveness, { failureThreshold: 6, timeoutSeconds: 5, periodSeconds: 15 });
  t.same(v.podSecurityContext, { fsGroup: 2000, runAsUser: 2000, runAsGroup: 2000 });
  t.same(v.labels, { team: "search", "app.example.com/tier": "db" }, "commonLabels");
  const c = v.chromadb as Record<string, unknown>;
  t.equal(c.allowReset, true, 'the chart\'s string "true"');
  t.same(c.corsAllowOrigins, ["https://app.example.com"], "duplicates removed");
  t.same(c.openTelemetry, { endpoint: "http://otel-collector.monitoring:4317", serviceName: "chroma-prod" });
  t.equal(c.sqliteMigrationMode, "validate");
  t.equal(c.sqliteFilename, "chroma.sqlite3");
  t.same(
    c.extraConfig,
    {
      sqlitedb: { hash_type: "sha256" },
      circuit_breaker: { requests: 100 },
      segment_manager: { hnsw_index_pool_cache_config: { lru: { capacity: 100 } } },
      compactor: { disabled: true },
      open_telemetry: { filters: [{ function_name: "*", trace_level: "INFO" }] },
    },
    "the chart's 1.x config keys, merged with its extraConfig",
  );
  t.same(c.auth, {
    enabled: true,
    type: "token",
    existingSecret: "chroma-credentials",
    basic: { username: "admin" },
    token: { tokenHeader: "X-Chroma-Token" },
  });
  t.ok(
    r.notes.some((n) => n.chart === "global.imageRegistry" && n.kind === "mapped" && n.to === "image.repository"),
    "the registries are noted as folded into the repository",
  );
});

t.test("auth as the release's clients meet it", async (t) => {
  const at = (version: string, auth: object) => importHelmValues({ chromadb: { apiVersion: version, auth } });
  const token = at("0.6.3", { enabled: true, type: "token" });
  t.same((token.values.chromadb as { auth: object }).auth, { enabled: true, type: "token", existingSecret: "chromadb-auth" });
  t.match(token.warnings, [/keep their token/]);
  t.same(at("0.6.3", { enabled: true, type: "token", existingSecret: "mine" }).warnings, [], "their own Secret: kept as it is");
  t.match(at("0.4.24", { enabled: true, type: "basic" }).warnings, [/has no htpasswd key/]);
  t.match(at("1.5.9", { enabled: true }).warnings, [/never enforced chromadb\.auth on Chroma 1\.x/]);
  t.same(at("1.5.9", { enabled: false }).warnings, [], "auth off: nothing to say");
  t.same(importHelmValues({ chromadb: { auth: { enabled: true } } }).warnings, [], "no version known: nothing said yet");
});

t.test("each rule's edge: spellings, shapes, defaults", async (t) => {
  const r = importHelmValues({
    global: { imageRegistry: "mirror.example" },
    image: { repository: "chroma-core/chroma", tag: "latest" },
    imagePullSecrets: ["plain-name"],
    service: { nodePort: "not-a-number" },
    autoscaling: { enabled: true },
    podSpec: { terminationGracePeriodSeconds: 5 },
    chromadb: {
      serverHttpPort: "8000",
      isPersistent: false,
      telemetry: { enabled: "true", endpoint: "http://collector:4317" },
      maintenance: { collection_cache_policy: null },
      auth: { token: { headerType: "X-Custom" } },
    },
  });
  const v = r.values as Record<string, Record<string, unknown>>;
  t.equal(v.image!.repository, "mirror.example/chroma-core/chroma", "global.imageRegistry alone prefixes the repository");
  t.equal(r.chromaVersion, undefined, "a tag that is not a release names no version");
  t.same(v.imagePullSecrets, ["plain-name"], "names given as strings stay names");
  t.same(v.service, { nodePort: "not-a-number" }, "a non-number is left for vet to refuse");
  t.notOk("terminationGracePeriodSeconds" in v, "the chart's 5 s gives way to chroma-mod's default");
  t.equal(v.chromadb!.isPersistent, false);
  t.notOk("serverHttpPort" in v.chromadb!, "the chart's port 8000, even as a string, is the default");
  t.same(v.chromadb!.openTelemetry, { endpoint: "http://collector:4317" });
  t.same((v.chromadb!.auth as Record<string, unknown>).token, { tokenHeader: "X-Custom" }, "an unknown header is left for vet to refuse");
  const kinds = Object.fromEntries(r.notes.map((n) => [n.chart, n.kind]));
  t.equal(kinds.autoscaling, "dropped", "autoscaling enabled: listed with the reason");
  t.equal(kinds["chromadb.maintenance"], "default", "maintenance at Chroma's defaults");
  t.same(importHelmValues({}).values, {}, "an empty values file: nothing");
  const levels = { chromadb: { apiVersion: "0.6.3", logging: { root: "warn", chromadb: "Info", uvicorn: "INFO" } } };
  t.same(
    importHelmValues(levels).values,
    { chromadb: { apiVersion: "0.6.3", logging: { root: "WARNING", chromadb: "INFO", uvicorn: "INFO" } } },
    "log levels carry over to a 0.x release, upper-cased",
  );
  const on1x = importHelmValues(levels, "1.5.3");
  t.same(on1x.values, { chromadb: { apiVersion: "0.6.3" } }, "not to a 1.x release (the version given wins over the values')");
  t.match(
    on1x.notes.find((n) => n.chart === "chromadb.logging"),
    { kind: "dropped", reason: /^Chroma 1\.5\.3 does not read it: the chart applied it to 0\.x releases only/ },
  );
  t.equal(on1x.chromaVersion, "1.5.3");
  t.equal(
    importHelmValues({ chromadb: { logging: { root: "INFO", chromadb: "DEBUG", uvicorn: "INFO" } } }).values.chromadb,
    undefined,
    "the chart's default levels give way",
  );
  const legacy = importHelmValues({
    chromadb: {
      apiVersion: "0.6.3",
      maintenance: { collection_cache_policy: "LRU", collection_cache_limit_bytes: 2000000000 },
      sqliteFilename: "x.sqlite3",
      telemetry: { enabled: true, endpoint: "http://c:4317", filters: [{ function_name: "*" }] },
    },
  });
  t.same(
    legacy.values,
    {
      chromadb: { apiVersion: "0.6.3", openTelemetry: { endpoint: "http://c:4317" } },
      extraEnv: [
        { name: "CHROMA_SEGMENT_CACHE_POLICY", value: "LRU" },
        { name: "CHROMA_MEMORY_LIMIT_BYTES", value: "2000000000" },
      ],
    },
    "0.x: the cache settings as the env vars the chart set; no 1.x config keys (sqliteFilename, the filters)",
  );
  t.match(
    legacy.notes.find((n) => n.chart === "chromadb.sqliteFilename"),
    {
      kind: "dropped",
      reason: /^Chroma 0\.6\.3 does not read it: the chart applied it to 1\.x releases only/,
    },
  );
  t.same(
    importHelmValues({ chromadb: { sqliteFilename: "x.sqlite3", maintenance: { collection_cache_policy: "LRU" } } }).values,
    {
      chromadb: { sqliteFilename: "x.sqlite3" },
      extraEnv: [
        { name: "CHROMA_SEGMENT_CACHE_POLICY", value: "LRU" },
        { name: "CHROMA_MEMORY_LIMIT_BYTES", value: "1000000000" },
      ],
    },
    "no version known: nothing is left out for it (import helm then asks for one); the chart's default cache limit",
  );
  t.same(
    importHelmValues({ imagePullSecrets: "one", chromadb: { corsAllowOrigins: "https://app.example" } }).values,
    { imagePullSecrets: "one", chromadb: { corsAllowOrigins: "https://app.example" } },
    "a scalar where the chart has a list: left for vet to refuse",
  );
});
