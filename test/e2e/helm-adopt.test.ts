/**
 * From a running Helm release to chroma-mod, keeping the data: on the shared local cluster (whose local node runs the
 * chart's pods as real Chroma servers), each community chart under ../shared/fixtures is installed with helm's own
 * client (built from its Go module by localcluster/build.sh --with-helm), data is written through the chart's Service
 * with the version's Python client, then `chroma-mod import helm --from-release` writes the bundle and
 * `apply --adopt-helm` takes the release over: the same claim (same uid, same volume) is mounted by the new
 * StatefulSet, Helm owns no field any more, and the same data is read back through chroma-mod's Service. What cannot
 * be adopted is refused before anything changes.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import t from "tap";
import { up } from "../../localcluster/cluster.ts";
import { serviceAddress } from "../../localcluster/node/addresses.ts";
import { ensureVenv } from "../../localcluster/node/venv.ts";
import { authErrorPattern, pythonClient, type ClientAuth } from "../chroma/harness.ts";
import { chartDir, type chartVersions } from "../fixtures/charts.ts";
import { cli } from "../fixtures/cli.ts";

const cluster = await up({ log: () => {} });
const run = Date.now().toString(36);
const binDir = spawnSync("bash", ["localcluster/build.sh", "--print-bin-dir"], { encoding: "utf8" }).stdout.trim();
const helmBin = join(binDir, "helm");
const work = mkdtempSync(join(tmpdir(), "chroma-mod-helm-adopt-"));
const env = {
  ...process.env,
  KUBECONFIG: cluster.kubeconfig,
  HELM_CACHE_HOME: join(work, "helm", "cache"),
  HELM_CONFIG_HOME: join(work, "helm", "config"),
  HELM_DATA_HOME: join(work, "helm", "data"),
};

function sh(program: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(program, args, { env, encoding: "utf8" });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const kubectl = (args: string[]) => sh(cluster.kubectl, args);
const helm = (args: string[]) => sh(helmBin, args);
interface Live {
  metadata: {
    uid: string;
    resourceVersion: string;
    labels: Record<string, string>;
    ownerReferences?: { kind: string }[];
    managedFields: { manager: string; subresource?: string }[];
  };
  spec: { volumeName?: string };
}
const json = (args: string[]) => JSON.parse(kubectl([...args, "-o", "json"]).stdout) as Live;

function secret(ns: string, name: string, key: string): string {
  return Buffer.from(kubectl(["-n", ns, "get", "secret", name, "-o", `jsonpath={.data.${key}}`]).stdout, "base64").toString("utf8");
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** A namespace the chart's pods may run in: the chart's pods do not meet the local cluster's restricted profile. */
function namespace(name: string): string {
  kubectl(["create", "namespace", name]);
  kubectl(["label", "namespace", name, "pod-security.kubernetes.io/enforce=privileged", "--overwrite"]);
  return name;
}

/** A Helm release record as Helm stores it (for refusals a real Helm seldom leaves behind). */
function storeRecord(ns: string, name: string, record: unknown, release = Buffer.from(gzipSync(JSON.stringify(record))).toString("base64")): void {
  const file = join(work, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Secret",
      type: "helm.sh/release.v1",
      metadata: { name: `sh.helm.release.v1.${name}.v1`, namespace: ns, labels: { owner: "helm", name, version: "1", status: "deployed" } },
      data: { release: Buffer.from(release).toString("base64") },
    }),
  );
  const r = kubectl(["apply", "-f", file]);
  if (r.code !== 0) throw new Error(r.stderr);
}

const managers = (o: Live) => o.metadata.managedFields.filter((m) => !m.subresource).map((m) => m.manager);

interface Case {
  readonly chart: (typeof chartVersions)[number];
  readonly chroma: string;
  /** The virtualenv whose Python client writes and reads (1.5.3 has no wheel: 1.5.4 serves its image and is its client). */
  readonly venv: string;
  readonly pvcOwnedByStatefulSet: boolean;
}

const cases: Case[] = [
  // The chart 0.1.20 runs Chroma 0.4.21 (its chromadb.apiVersion): the local node installs that virtualenv on first
  // use; the 0.4.24 client of the matrix speaks its API.
  { chart: "0.1.20", chroma: "0.4.21", venv: "0.4.24", pvcOwnedByStatefulSet: false },
  { chart: "0.1.23", chroma: "0.6.3", venv: "0.6.3", pvcOwnedByStatefulSet: false },
  // Chart 0.2.2 asks persistentVolumeClaimRetentionPolicy.whenDeleted: Delete: deleting its StatefulSet with anything
  // but orphan propagation would delete the claim with it.
  { chart: "0.2.2", chroma: "1.5.3", venv: "1.5.4", pvcOwnedByStatefulSet: true },
];

for (const c of cases) {
  t.test(`chart ${c.chart} (Chroma ${c.chroma}): installed with helm, adopted, the same data read back`, async (t) => {
    // 1.5.4 (1.5.3's stand-in) is not one of setup's virtualenvs: made on first use, as the local node does.
    await ensureVenv(c.venv);
    const release = `c${c.chart.replaceAll(".", "")}`;
    const ns = namespace(`helm-${release}-${run}`);
    t.teardown(() => void kubectl(["delete", "namespace", ns, "--wait=false"]));
    const installed = helm(["install", release, chartDir(c.chart), "-n", ns]);
    t.equal(installed.code, 0, installed.stderr);
    const pod = `${release}-chromadb-0`;
    await until(`${pod} ready`, () => kubectl(["-n", ns, "wait", "--for=condition=Ready", `pod/${pod}`, "--timeout=5s"]).code === 0, 300_000);
    const zeroX = c.chroma.startsWith("0.");
    const chartAuth: ClientAuth = zeroX ? { kind: "token", header: "Authorization", token: secret(ns, "chromadb-auth", "token") } : null;
    const chartPort = serviceAddress(ns, `${release}-chromadb`).http!;
    t.ok(chartPort, "the chart's Service is on loopback");
    const collection = `kept_${run}`;
    const wrote = await pythonClient(c.venv, chartPort, [{ name: "write", op: "write", collection, auth: chartAuth }]);
    t.match(wrote.get("write"), { ok: true }, JSON.stringify(wrote.get("write")));
    const claim = json(["-n", ns, "get", "pvc", `data-${release}-chromadb-0`]);
    const owners = claim.metadata.ownerReferences ?? [];
    t.equal(
      owners.some((o) => o.kind === "StatefulSet"),
      c.pvcOwnedByStatefulSet,
      "the chart's retention policy as the claim shows it",
    );

    // Chart 0.1.20's release is adopted as an interrupted adoption left it: its StatefulSet deleted with orphan
    // propagation (its pod still running, holding the claim) and its Service gone. The left pod is stopped so the
    // instance's StatefulSet can make its own; what is gone is created.
    const interrupted = c.chart === "0.1.20";
    if (interrupted) {
      t.equal(kubectl(["-n", ns, "delete", "statefulset", `${release}-chromadb`, "--cascade=orphan"]).code, 0);
      t.equal(kubectl(["-n", ns, "delete", "service", `${release}-chromadb`]).code, 0);
      t.equal(kubectl(["-n", ns, "get", "pod", pod]).code, 0, "the pod is left running");
    }
    const bundle = join(work, `${release}.config.ts`);
    const imported = await cli(["import", "helm", "--from-release", release, "-n", ns, "--local", "-o", bundle]);
    t.equal(imported.code, 0, imported.stderr);
    t.match(imported.stdout, new RegExp(`${release} \\(namespace ${ns}, Chroma ${c.chroma.replaceAll(".", "\\.")}\\)`));
    t.match(
      readFileSync(bundle, "utf8"),
      new RegExp(`Imported by chroma-mod import helm from Helm release ${release} \\(namespace ${ns}, revision 1, chart chromadb-${c.chart}\\)`),
    );

    const adopted = await cli(["apply", bundle, "--local", "--adopt-helm", release, "--timeout", "5m"]);
    t.equal(adopted.code, 0, adopted.stderr);
    if (interrupted) {
      // Chart 0.1.20 renders its token Secret as an object of the release (later charts as a hook, not in it).
      t.match(adopted.stderr, new RegExp(`kept Secret/${ns}/chromadb-auth: the instance's credentials \\(chromadb\\.auth\\.existingSecret\\)`));
      t.notMatch(adopted.stderr, /left in place[^\n]*Secret/, "and not listed as left over");
      t.match(adopted.stderr, new RegExp(`stopped Pod/${ns}/${pod}, left running by the release's StatefulSet, which is gone`));
    } else {
      t.match(adopted.stderr, new RegExp(`taking over StatefulSet/${ns}/${release}-chromadb from Helm`));
      t.match(adopted.stderr, /deleting: its StatefulSet's selector changed/);
    }
    t.match(adopted.stderr, new RegExp(`Do not run helm uninstall ${release}.*kubectl -n ${ns} delete secret -l owner=helm,name=${release}`));
    const after = json(["-n", ns, "get", "pvc", `data-${release}-chromadb-0`]);
    t.equal(after.metadata.uid, claim.metadata.uid, "the same claim");
    t.equal(after.spec.volumeName, claim.spec.volumeName, "on the same volume");
    const sts = json(["-n", ns, "get", "statefulset", `${release}-chromadb`, "--show-managed-fields"]);
    t.equal(sts.metadata.labels["app.kubernetes.io/managed-by"], "chroma-mod");
    t.same(managers(sts), ["chroma-mod"], "the StatefulSet is chroma-mod's alone");
    const service = json(["-n", ns, "get", "service", `${release}-chromadb`, "--show-managed-fields"]);
    t.notOk(managers(service).includes("helm"), "Helm owns no field of the Service any more");
    t.notOk("helm.sh/chart" in service.metadata.labels, "the chart's labels are gone with Helm's ownership");

    const access = /ready at http:\/\/127\.0\.0\.1:(\d+)(?: \(Authorization: Bearer <token>; token: kubectl -n \S+ get secret (\S+))?/.exec(adopted.stdout);
    t.ok(access, adopted.stdout);
    const port = Number(access![1]);
    const auth: ClientAuth = zeroX ? chartAuth : { kind: "token", header: "Authorization", token: secret(ns, access![2]!, "token") };
    const read = await pythonClient(c.venv, port, [
      { name: "read", op: "read", collection, auth },
      { name: "anonymous", op: "read", collection, auth: null },
    ]);
    t.match(read.get("read"), { ok: true, result: { exists: true, count: 3, nearest: ["a", "b"] } }, JSON.stringify(read.get("read")));
    t.match(read.get("anonymous"), { ok: false, error: authErrorPattern }, "and only with credentials");

    // Adopting again (Helm's record is still there) finds nothing of Helm's left and changes nothing.
    const versions = () => ["statefulset", "service"].map((kind) => json(["-n", ns, "get", kind, `${release}-chromadb`]).metadata.resourceVersion);
    const before = versions();
    const again = await cli(["apply", bundle, "--local", "--adopt-helm", release, "--timeout", "2m", "-o", "json"]);
    t.equal(again.code, 0, again.stderr);
    t.same(
      (JSON.parse(again.stdout) as { writes: number }[]).map((r) => r.writes),
      [0],
      "a second adoption is a no-op",
    );
    t.same(versions(), before, "not even a field-ownership patch");
  });
}

t.test("refused before anything changes", async (t) => {
  const ns = namespace(`helm-refuse-${run}`);
  t.teardown(() => void kubectl(["delete", "namespace", ns, "--wait=false"]));
  const release = "keep";
  t.equal(helm(["install", release, chartDir("0.1.23"), "-n", ns]).code, 0);
  const bundle = join(work, "refuse.config.ts");
  t.equal((await cli(["import", "helm", "--from-release", release, "-n", ns, "--local", "-o", bundle])).code, 0);
  const stsBefore = json(["-n", ns, "get", "statefulset", `${release}-chromadb`]);

  const newer = join(work, "newer.config.ts");
  writeFileSync(
    newer,
    `import { defineBundle } from "chroma-mod";\nexport default defineBundle({ instances: { ${release}: { namespace: "${ns}", values: { nameOverride: "chromadb", fullnameOverride: "${release}-chromadb", chromadb: { apiVersion: "1.5.9" } } } } });\n`,
  );
  const across = await cli(["apply", newer, "--local", "--adopt-helm", release]);
  t.equal(across.code, 1);
  t.match(
    across.stderr,
    /Cannot adopt Helm release "keep" .*: the release runs Chroma 0\.6\.3 and the bundle Chroma 1\.5\.9: their on-disk formats differ \(data format 0\.6 vs 1\)/,
  );
  t.match(across.stderr, /Nothing was changed/);
  const down = await cli(["apply", bundle, "--local", "--adopt-helm", release, "--set", `${release}.chromadb.apiVersion=0.5.23`]);
  t.match(down.stderr, /Chroma 0\.5\.23 cannot read/);
  t.match(across.stderr, /Chroma 1\.5\.9 has to migrate in place, with no way back/);

  const renamed = await cli(["apply", bundle, "--local", "--adopt-helm", release, "--set", `${release}.fullnameOverride=other`]);
  t.equal(renamed.code, 1);
  t.match(
    renamed.stderr,
    /keeps its data in the claims of its volume claim templates "data" \(data-keep-chromadb-0, …\), and the instance renders no StatefulSet "keep-chromadb" with them/,
  );

  const missing = await cli(["apply", bundle, "--local", "--adopt-helm", "nope"]);
  t.match(missing.stderr, /No Helm release "nope" in namespace "helm-refuse-/);
  const dry = await cli(["apply", bundle, "--local", "--adopt-helm", release, "--dry-run"]);
  t.match(dry.stderr, /--adopt-helm cannot be combined with --dry-run/);

  storeRecord(ns, "pending", { name: "pending", info: { status: "pending-upgrade" }, chart: { metadata: { name: "chromadb", version: "0.1.23" } } });
  const pending = await cli(["apply", bundle, "--local", "--adopt-helm", "pending"]);
  t.match(pending.stderr, /Cannot adopt Helm release "pending" .*: it is pending-upgrade/);
  storeRecord(ns, "odd", { name: "odd", info: { status: "deployed" }, chart: { metadata: { name: "chromadb", version: "0.0.1", appVersion: "9.9.9" } } });
  const odd = await cli(["apply", bundle, "--local", "--adopt-helm", "odd"]);
  t.match(odd.stderr, /cannot tell which Chroma version it runs \(9\.9\.9 is not a release chroma-mod knows\)/);
  storeRecord(ns, "bare", {});
  const bare = await cli(["apply", bundle, "--local", "--adopt-helm", "bare"]);
  t.match(
    bare.stderr,
    /Cannot adopt Helm release "bare" \(namespace helm-refuse-\S+, revision 1, chart unknown-unknown\): cannot tell which Chroma version it runs, so/,
  );
  storeRecord(ns, "broken", {}, "not a release");
  const broken = await cli(["import", "helm", "--from-release", "broken", "-n", ns, "--local", "-o", join(work, "broken.config.ts")]);
  t.match(broken.stderr, /is labelled as Helm release "broken" but is not a release Helm wrote/);
  const both = await cli(["import", "helm", "values.yaml", "--from-release", release, "-n", ns, "--local"]);
  t.match(both.stderr, /--from-release reads the release, not values\.yaml/);

  const two = join(work, "two.config.ts");
  writeFileSync(
    two,
    readFileSync(bundle, "utf8").replace(
      /instances: \{\n/,
      `instances: {\n    other: { namespace: "${ns}", values: { chromadb: { apiVersion: "0.6.3" } } },\n`,
    ),
  );
  const many = await cli(["apply", two, "--local", "--adopt-helm", release]);
  t.match(many.stderr, /the bundle has 2 instances; a release is adopted by one/);

  const stsAfter = json(["-n", ns, "get", "statefulset", `${release}-chromadb`]);
  t.equal(stsAfter.metadata.uid, stsBefore.metadata.uid, "the release's StatefulSet is untouched");
  t.equal(stsAfter.metadata.resourceVersion, stsBefore.metadata.resourceVersion);
});
