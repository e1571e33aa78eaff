import t from "tap";
import { checkValues } from "../../module/check.ts";
import { values } from "../fixtures/values.ts";

const paths = (input: Parameters<typeof values>[0]) => checkValues(values(input)).map((issue) => issue.path);

t.test("valid defaults have no issues", async (t) => {
  t.same(checkValues(values()), []);
  t.same(paths({ chromadb: { apiVersion: "0.4.6", auth: { enabled: false } } }), [], "auth off on a version without auth is fine");
});

t.test("auth a version cannot enforce is refused, with the fix", async (t) => {
  const [basic] = checkValues(values({ chromadb: { apiVersion: "0.4.6", auth: { type: "basic" } } }));
  t.equal(basic?.path, "chromadb.auth.type");
  t.match(basic?.message, /basic auth needs Chroma >= 0\.4\.7, but chromadb\.apiVersion is 0\.4\.6/);
  t.match(basic?.message, /auth\.enabled: false/);
  const [token] = checkValues(values({ chromadb: { apiVersion: "0.4.7", auth: { type: "token" } } }));
  t.match(token?.message, /token auth needs Chroma >= 0\.4\.8/);
  t.match(token?.message, /use chromadb\.auth\.type: "basic"/, "0.4.7 has basic: suggest it");
  const [token046] = checkValues(values({ chromadb: { apiVersion: "0.4.6" } }));
  t.notMatch(token046?.message, /"basic"/, "0.4.6 has no basic either");
});

t.test("replicas with persistence", async (t) => {
  t.same(paths({ replicas: 2 }), ["replicas"]);
  t.same(paths({ replicas: 2, chromadb: { isPersistent: false } }), [], "without persistence each replica is independent");
  t.same(paths({ replicas: 0 }), []);
});

t.test("CORS wildcard crashes 1.0.0-1.0.10", async (t) => {
  t.same(paths({ chromadb: { apiVersion: "1.0.10", corsAllowOrigins: ["*"] } }), ["chromadb.corsAllowOrigins"]);
  t.same(paths({ chromadb: { apiVersion: "1.0.11", corsAllowOrigins: ["*"] } }), []);
});

t.test("client-only API impl", async (t) => {
  t.same(paths({ chromadb: { apiVersion: "0.4.24", apiImpl: "chromadb.api.fastapi.FastAPI" } }), ["chromadb.apiImpl"]);
});

t.test("auth env in extraEnv is refused", async (t) => {
  const issues = paths({ extraEnv: [{ name: "FOO", value: "1" }, { name: "CHROMA_SERVER_AUTH_PROVIDER", value: "x" }, { name: "CHROMA_SERVER_AUTHN_CREDENTIALS", value: "x" }] });
  t.same(issues, ["extraEnv.1.name", "extraEnv.2.name"]);
});

t.test("settings the chosen version ignores", async (t) => {
  t.same(paths({ chromadb: { apiVersion: "0.6.3", maxPayloadSizeBytes: 10, sqliteMigrationMode: "validate" } }), [
    "chromadb.maxPayloadSizeBytes",
    "chromadb.sqliteMigrationMode",
  ]);
  t.same(paths({ chromadb: { apiVersion: "1.5.9", logConfig: "x", logConfigFileLocation: "/x" } }), ["chromadb.logConfigFileLocation", "chromadb.logConfig"]);
  t.same(paths({ chromadb: { apiVersion: "0.4.14", auth: { enabled: false }, openTelemetry: { endpoint: "http://otel:4317" } } }), ["chromadb.openTelemetry"]);
  const [issue] = checkValues(values({ chromadb: { apiVersion: "0.6.3", maxPayloadSizeBytes: 10 } }));
  t.match(issue?.message, /or set chromadb\.apiVersion to 1\.x/);
});

t.test("proxy port clash and ingress without hosts", async (t) => {
  t.same(paths({ proxy: { upstreamPort: 8000 } }), ["proxy.upstreamPort"]);
  t.same(paths({ proxy: { upstreamPort: 8000 }, chromadb: { auth: { enabled: false } } }), [], "no proxy without auth");
  t.same(paths({ ingress: { enabled: true } }), ["ingress.hosts"]);
});

t.test("CORS with auth on 0.4.7-0.4.24, product telemetry on 1.x", async (t) => {
  t.same(paths({ chromadb: { apiVersion: "0.4.24", corsAllowOrigins: ["https://a.example"] } }), ["chromadb.corsAllowOrigins"]);
  t.same(paths({ chromadb: { apiVersion: "0.4.24", corsAllowOrigins: ["https://a.example"], auth: { enabled: false } } }), []);
  t.same(paths({ chromadb: { apiVersion: "0.5.0", corsAllowOrigins: ["https://a.example"] } }), [], "0.5 answers preflights before auth");
  t.same(paths({ chromadb: { apiVersion: "1.5.9", anonymizedTelemetry: true } }), ["chromadb.anonymizedTelemetry"]);
  t.same(paths({ chromadb: { apiVersion: "0.6.3", anonymizedTelemetry: true } }), []);
});
