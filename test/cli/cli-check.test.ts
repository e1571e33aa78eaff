/** `chroma-mod check` in-process: the report of each example bundle, JSON, --fail-on for CI, --ignore, and bad flags. */
import t from "tap";
import { cli, examples } from "../fixtures/cli.ts";

t.test("every example bundle: a report, exit 0 without --fail-on", async (t) => {
  for (const file of examples) {
    const run = await cli(["check", file]);
    t.equal(run.code, 0, file);
    t.equal(run.stderr, "");
    t.match(run.stdout, /\n\d+ findings?(: [^\n]+)?\.\n$/, `${file}: a summary line`);
  }
});

t.test("the multi bundle's risks, as text and as JSON, and --fail-on", async (t) => {
  const text = await cli(["check", "bundles/multi.config.ts"]);
  t.match(text.stdout, "legacy (namespace team-recs, Chroma 0.4.24): 3 findings\n");
  t.match(
    text.stdout,
    / {2}HIGH {4}no-persistence {3}legacy\.values\.chromadb\.isPersistent\n {27}the data lives in an emptyDir[^\n]+\.\n {27}Fix: remove `isPersistent: false`/,
  );
  t.match(text.stdout, /HIGH {4}allow-reset +recs\.values\.chromadb\.allowReset\n/);
  t.match(text.stdout, /\n9 findings: 2 high, 4 low, 3 info\.\n$/);
  const json = await cli(["check", "bundles/multi.config.ts", "-o", "json", "--instance", "recs"]);
  const findings = JSON.parse(json.stdout) as { instance: string; id: string; severity: string; valuePath: string; fix: string }[];
  t.same(
    findings.map((f) => f.id),
    ["allow-reset", "plain-http", "image-no-digest"],
  );
  t.match(findings[0], {
    instance: "recs",
    namespace: "team-recs",
    severity: "high",
    path: "chromadb.allowReset",
    valuePath: "recs.values.chromadb.allowReset",
  });
  const failing = await cli(["check", "bundles/multi.config.ts", "--fail-on", "high"]);
  t.equal(failing.code, 1, "a high finding fails --fail-on high");
  t.match(failing.stdout, "Failed: a finding at high or above (--fail-on high).\n");
  const ignored = await cli(["check", "bundles/multi.config.ts", "--fail-on", "high", "--ignore", "allow-reset", "--ignore", "no-persistence"]);
  t.equal(ignored.code, 0, "ignored findings do not count");
  t.match(ignored.stdout, "7 findings: 4 low, 3 info. Passed --fail-on high.\n");
  t.equal(
    (await cli(["check", "bundles/multi.config.ts", "--fail-on", "low", "--ignore", "allow-reset", "--ignore", "no-persistence"])).code,
    1,
    "low fails --fail-on low",
  );
  const set = await cli([
    "check",
    "bundles/multi.config.ts",
    "--instance",
    "recs",
    "--set",
    "recs.chromadb.allowReset=false",
    "--ignore",
    "image-no-digest",
    "--ignore",
    "plain-http",
  ]);
  t.match(set.stdout, "recs (namespace team-recs, Chroma 0.6.3): no findings\n\n0 findings.\n", "--set applies before the check");
  const one = await cli(["check", "bundles/multi.config.ts", "--instance", "recs", "--set", "recs.chromadb.allowReset=false", "--ignore", "image-no-digest"]);
  t.match(
    one.stdout,
    /^recs \(namespace team-recs, Chroma 0\.6\.3\): 1 finding\n {2}LOW {5}plain-http {2}recs\.values\.tls\n[\s\S]*\n1 finding: 1 low\.\n$/,
    "one finding: singular",
  );
});

t.test("bad flags and bad bundles: one paragraph, exit 1", async (t) => {
  const severity = await cli(["check", "bundles/dev.config.ts", "--fail-on", "critical"]);
  t.equal(severity.code, 1);
  t.match(severity.stderr, "check: --fail-on critical is not a severity.");
  t.match(severity.stderr, "Use one of: high, medium, low, info");
  const id = await cli(["check", "bundles/dev.config.ts", "--ignore", "allow-rest"]);
  t.equal(id.code, 1);
  t.match(id.stderr, "check: --ignore allow-rest: no such check.");
  t.match(id.stderr, /Known checks: auth-off, allow-reset,/);
  const invalid = await cli(["check", "test/fixtures/invalid.config.ts"]);
  t.equal(invalid.code, 1);
  t.match(invalid.stderr, "5 invalid values", "vet's errors first");
  t.equal(invalid.stdout, "");
  t.equal((await cli(["check", "bundles/dev.config.ts", "-o", "yaml"])).code, 1, "an unknown format");
});
