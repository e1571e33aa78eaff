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
