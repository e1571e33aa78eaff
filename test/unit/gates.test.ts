import t from "tap";
import { firstRelease, gatesFor, gateTable } from "../../module/gates.ts";
import { chromaReleases, compareVersions, defaultChromaVersion, isSupportedRelease, parseVersion } from "../../schemas/releases.ts";

t.test("every release falls in exactly one row of each total gate", async (t) => {
  for (const version of chromaReleases) {
    const gates = gatesFor(version);
    t.ok(gates.serverCommand && gates.settings && gates.health && gates.imageDataDirectory, version);
  }
});

t.test("gate boundaries", async (t) => {
  t.equal(gatesFor("0.4.6").basicAuth, undefined, "no auth at all before 0.4.7");
  t.equal(gatesFor("0.4.6").tokenAuth, undefined);
  t.equal(gatesFor("0.4.7").basicAuth, "auth-provider");
  t.equal(gatesFor("0.4.7").tokenAuth, undefined, "token auth arrives in 0.4.8");
  t.equal(gatesFor("0.4.8").tokenAuth, "auth-provider");
  t.equal(gatesFor("0.4.24").tokenAuth, "auth-provider");
  t.equal(gatesFor("0.5.0").tokenAuth, "authn-header-name");
  t.equal(gatesFor("0.5.1").tokenAuth, "authn-header-value");
  t.equal(gatesFor("0.6.3").basicAuth, "authn-provider");
  t.equal(gatesFor("1.0.0").tokenAuth, "proxy");
  t.equal(gatesFor("1.5.9").basicAuth, "proxy");
  t.equal(gatesFor("0.4.15").serverCommand, "uvicorn");
  t.equal(gatesFor("0.4.16").serverCommand, "uvicorn-keepalive");
  t.equal(gatesFor("1.0.0").serverCommand, "chroma-run");
  t.equal(gatesFor("0.6.3").settings, "env");
  t.equal(gatesFor("1.0.0").settings, "config-file");
  t.same(gatesFor("0.6.3").health, { liveness: "/api/v1/heartbeat", readiness: "/api/v1/heartbeat" });
  t.same(gatesFor("1.0.0").health, { liveness: "/api/v2/heartbeat", readiness: "/api/v2/healthcheck" });
  t.equal(gatesFor("1.0.10").corsWildcardCrashes, true);
  t.equal(gatesFor("1.0.11").corsWildcardCrashes, false);
  t.equal(gatesFor("0.4.14").openTelemetry, undefined);
  t.equal(gatesFor("0.4.15").openTelemetry, "env");
  t.equal(gatesFor("1.2.0").openTelemetry, "config");
  t.equal(gatesFor("0.6.3").imageDataDirectory, "/chroma/chroma");
  t.equal(gatesFor("1.0.0").imageDataDirectory, "/data");
  t.equal(firstRelease(gateTable.basicAuth), "0.4.7");
});

t.test("releases", async (t) => {
  t.same(parseVersion("1.2.3"), [1, 2, 3]);
  t.same(parseVersion(""), [0, 0, 0]);
  t.ok(compareVersions("0.4.10", "0.4.9") > 0, "numeric, not lexical");
  t.equal(compareVersions("1.0.0", "1.0.0"), 0);
  t.ok(isSupportedRelease("0.4.24"));
  t.notOk(isSupportedRelease("0.4.25"), "never released");
  t.notOk(isSupportedRelease("1.0.1"), "never released");
  t.ok(isSupportedRelease("1.5.3"), "published as an image only (no PyPI wheel): supported");
  t.equal(defaultChromaVersion, chromaReleases[chromaReleases.length - 1], "the default is the newest supported release");
  const sorted = [...chromaReleases].sort(compareVersions);
  t.same(sorted, [...chromaReleases], "the list is ordered");
});
