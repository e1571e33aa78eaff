/** Module.describe: what `status` shows of a running Chroma instance, from its live objects. */
import t from "tap";
import { chromaModule } from "../../module/index.ts";

const sts = (labels?: Record<string, string>) => ({
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  metadata: { name: "vec", namespace: "x", ...(labels ? { labels } : {}) },
});
const service = { apiVersion: "v1", kind: "Service", metadata: { name: "vec", namespace: "x", labels: { "app.kubernetes.io/version": "9.9.9" } } };

t.test("the running version is the live StatefulSet's version label", async (t) => {
  t.same(chromaModule.describe([service, sts({ "app.kubernetes.io/version": "1.5.9" })]), { summary: "Chroma 1.5.9", fields: { chromaVersion: "1.5.9" } });
});

t.test("no StatefulSet, or one without the label: unknown", async (t) => {
  t.same(chromaModule.describe([service]), { summary: "Chroma unknown", fields: { chromaVersion: undefined } }, "other objects' labels are not read");
  t.same(chromaModule.describe([sts()]), { summary: "Chroma unknown", fields: { chromaVersion: undefined } });
  t.same(chromaModule.describe([]).summary, "Chroma unknown");
});

t.test("Module.access: the Service port clients use, and how to read the credentials (never the credentials)", async (t) => {
  const { parse } = await import("valibot");
  const values = (chromadb: object) => parse(chromaModule.valuesSchema, { chromadb });
  const ctx = { name: "dev", namespace: "chroma-dev" };
  t.same(
    chromaModule.access(values({ apiVersion: "1.5.9", auth: { enabled: false } }), ctx),
    { summary: "Chroma 1.5.9", service: "dev", port: "http" },
    "no auth: no credentials",
  );
  t.same(chromaModule.access(values({ apiVersion: "1.5.9", auth: { enabled: true, type: "token" } }), ctx), {
    summary: "Chroma 1.5.9",
    service: "dev",
    port: "http",
    credentials: "Authorization: Bearer <token>; token: kubectl -n chroma-dev get secret dev-auth -o jsonpath='{.data.token}' | base64 -d",
  });
  t.match(chromaModule.access(values({ apiVersion: "0.6.3", auth: { enabled: true, type: "token", token: { tokenHeader: "X-Chroma-Token" } } }), ctx), {
    credentials: /^X-Chroma-Token: <token>; token: kubectl/,
  });
  t.match(chromaModule.access(values({ apiVersion: "0.4.24", auth: { enabled: true, type: "basic", existingSecret: "mine" } }), ctx), {
    summary: "Chroma 0.4.24",
    credentials:
      "user: kubectl -n chroma-dev get secret mine -o jsonpath='{.data.username}' | base64 -d; password: kubectl -n chroma-dev get secret mine -o jsonpath='{.data.password}' | base64 -d",
  });
  const withTls = (tls: object) => chromaModule.access(parse(chromaModule.valuesSchema, { chromadb: { auth: { enabled: false } }, tls }), ctx);
  t.same(
    withTls({ generate: true }).tls,
    { ca: "CA: kubectl -n chroma-dev get secret dev-tls -o jsonpath='{.data.ca\\.crt}' | base64 -d" },
    "TLS: where the CA is",
  );
  t.same(withTls({ certManager: { issuerRef: { name: "ca" } } }).tls, {
    ca: "CA: kubectl -n chroma-dev get secret dev-tls -o jsonpath='{.data.ca\\.crt}' | base64 -d",
  });
  t.same(withTls({ secretName: "mine" }).tls, {}, "the user's own Secret: TLS, the CA is theirs");
  t.notOk(withTls({}).tls, "no TLS");
});
