/** Quantities and volume claim templates: the pure half of growing a StatefulSet's volumes. */
import t from "tap";
import { claimTemplate, templateRequests, withTemplateRequests } from "../../engine/apply/volumes.ts";
import { compareQuantities, parseQuantity } from "../../core/quantity.ts";
import type { KubeObject } from "../../core/types.ts";

t.test("quantities compare exactly, whatever their suffix", async (t) => {
  t.equal(compareQuantities("1Gi", "1024Mi"), 0);
  t.equal(compareQuantities("1.5Gi", "1536Mi"), 0);
  t.equal(compareQuantities("1Gi", "2Gi"), -1);
  t.equal(compareQuantities("2G", "1Gi"), 1);
  t.equal(compareQuantities("1e9", "1G"), 0);
  t.equal(compareQuantities("1E", "1000P"), 0);
  t.equal(compareQuantities("1500m", "1.5"), 0);
  t.equal(compareQuantities("100n", "0.1u"), 0);
  t.equal(compareQuantities("1Ki", "1024"), 0);
  t.equal(compareQuantities("1k", "1000"), 0);
  t.equal(compareQuantities("1e-3", "1m"), 0);
  t.equal(compareQuantities("-1", "1"), -1);
  t.equal(compareQuantities(".5", "0.5"), 0);
  t.equal(compareQuantities("1Ti", "1Pi"), -1);
  t.equal(compareQuantities("1Ei", "1T"), 1);
  t.equal(compareQuantities("abc", "1Gi"), 0, "unparsable: equal (nothing to do)");
  t.equal(compareQuantities("1Gi", "."), 0);
  t.same(parseQuantity("2Mi"), { num: 2n * 1024n ** 2n, den: 1n });
  t.equal(parseQuantity(""), undefined);
  t.equal(parseQuantity("1Xi"), undefined);
});

const sts = (sizes: Record<string, string>): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  metadata: { name: "db", namespace: "ns" },
  spec: {
    volumeClaimTemplates: [
      ...Object.entries(sizes).map(([name, storage]) => ({ metadata: { name }, spec: { resources: { requests: { storage } } } })),
      { metadata: { name: "nosize" }, spec: {} },
    ],
  },
});

t.test("volume claim templates: sizes read and replaced, claims traced to their template", async (t) => {
  t.same(
    [...templateRequests(sts({ data: "1Gi", logs: "2Gi" }))],
    [
      ["data", "1Gi"],
      ["logs", "2Gi"],
    ],
  );
  t.same([...templateRequests({ apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "x" } })], [], "no spec, no templates");
  const original = sts({ data: "1Gi", logs: "2Gi" });
  const grown = withTemplateRequests(original, new Map([["data", "5Gi"]]));
  t.same(
    [...templateRequests(grown)],
    [
      ["data", "5Gi"],
      ["logs", "2Gi"],
    ],
    "templates not named stay as they are",
  );
  t.same(
    [...templateRequests(original)],
    [
      ["data", "1Gi"],
      ["logs", "2Gi"],
    ],
    "a copy: the original is untouched",
  );
  t.equal(claimTemplate("data-db-0", "db", ["logs", "data"]), "data");
  t.equal(claimTemplate("data-db-12", "db", ["data"]), "data");
  t.equal(claimTemplate("data-db2-0", "db", ["data"]), undefined, "another StatefulSet's claim");
  t.equal(claimTemplate("dataxdb-0", "a.b", ["data"]), undefined);
  t.equal(claimTemplate("data-axb-0", "a.b", ["data"]), undefined, "dots in names are literal");
  t.equal(claimTemplate("data-a.b-0", "a.b", ["data"]), "data");
});
