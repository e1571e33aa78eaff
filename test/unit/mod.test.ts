/** The public bundle API: identity functions typed for the IDE. Type errors: `tsc -p .`, npm test's first step. */
import t from "tap";
import { chromaReleases, defaultChromaVersion, defineBundle, defineValues, type BundleInput } from "../../mod.ts";

t.test("defineBundle and defineValues return what they are given", async (t) => {
  const shared = defineValues({ resources: { limits: { memory: "1Gi" } } });
  const bundle: BundleInput = defineBundle({ instances: { a: { values: { ...shared, chromadb: { apiVersion: "0.6.3" } } } } });
  t.same(bundle, { instances: { a: { values: { resources: { limits: { memory: "1Gi" } }, chromadb: { apiVersion: "0.6.3" } } } } });
  t.equal(defaultChromaVersion, "1.5.9");
  t.ok(chromaReleases.includes(defaultChromaVersion));
});

t.test("what the type checker refuses in a bundle", async (t) => {
  defineBundle({
    instances: {
      // @ts-expect-error: a typo is a type error in the IDE
      a: { values: { chromadb: { alowReset: true } } },
    },
  });
  // @ts-expect-error: "oidc" is not an auth type
  defineValues({ chromadb: { auth: { type: "oidc" } } });
  // @ts-expect-error: an unreleased Chroma version
  defineValues({ chromadb: { apiVersion: "0.4.25" } });
  t.pass("checked by tsc -p . (npm run typecheck; npm test's first step)");
});
