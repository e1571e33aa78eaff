/**
 * `history` and `rollback` (through the CLI's main) against the real local control plane: revisions recorded by
 * applies that change something (none by a no-op, which still writes nothing), a rollback re-applying a recorded
 * revision and recording one of its own, and the refusals (a data-format boundary, an unknown revision).
 * The pods run on kwok's fake node: this is about what is applied, not about running Chroma.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { history } from "../../engine/apply/index.ts";
import { KubeClient } from "../../engine/kube/client.ts";
import { up } from "../../localcluster/cluster.ts";
import { cli } from "../fixtures/cli.ts";

const cluster = await up({ log: () => {} });
const ns = `hist-${Date.now().toString(36)}`;
const dir = mkdtempSync(join(tmpdir(), "chroma-mod-history-"));
const kubectl = (args: string[]) => spawnSync(cluster.kubectl, args, { env: { ...process.env, KUBECONFIG: cluster.kubeconfig }, encoding: "utf8" }).stdout;
t.teardown(() => void kubectl(["delete", "namespace", ns, "--ignore-not-found", "--wait=false"]));

const fake = `nodeSelector: { type: "kwok" }, tolerations: [{ key: "chroma-mod.io/fake-node", operator: "Exists", effect: "NoSchedule" }]`;
/**
 * The bundle file with instance `vec` at `version`, labelled `rev`. Revision b's Service is a LoadBalancer, which never
 * gets an address on the local cluster: never ready, so a wait for it cannot end in time however fast the pods are.
 */
function bundle(version: string, rev: string): string {
  const service = rev === "b" ? `service: { type: "LoadBalancer" }, ` : "";
  const file = join(dir, "hist.config.ts");
  writeFileSync(
    file,
    `import { defineBundle } from "chroma-mod";\nexport default defineBundle({ name: "hist", instances: { vec: { namespace: "${ns}", createNamespace: true, values: { chromadb: { apiVersion: "${version}", isPersistent: false }, labels: { rev: "${rev}" }, ${service}${fake} } } } });\n`,
  );
  return file;
}
const stsLabel = () => kubectl(["-n", ns, "get", "statefulset", "vec", "-o", "jsonpath={.metadata.labels.rev}"]);
interface Listed {
  found: boolean;
  revisions: { revision: number; note?: string; valuesDigest: string; values: { labels: { rev: string } } }[];
}
async function listed(file: string): Promise<Listed> {
  const run = await cli(["history", file, "--local", "-o", "json"]);
  return (JSON.parse(run.stdout) as Listed[])[0]!;
}

t.test("history and rollback", async (t) => {
  const file = bundle("1.5.9", "a");
  const never = await cli(["history", file, "--local"]);
  t.equal(never.code, 1, "an instance never applied: exit 1");
  t.equal(never.stdout, "vec (namespace " + ns + "): not applied (no inventory)\n");

  t.equal((await cli(["apply", file, "--local", "--timeout", "2m"])).code, 0, "apply a");
  let h = await listed(file);
  t.same(
    h.revisions.map((r) => r.revision),
    [1],
    "the first apply records revision 1",
  );
  const noop = await cli(["apply", file, "--local", "-o", "json"]);
  t.equal((JSON.parse(noop.stdout) as { writes: number }[])[0]!.writes, 0, "a no-op apply writes nothing");
  t.same((await listed(file)).revisions.length, 1, "and records no revision");

  bundle("1.5.9", "b");
  t.equal((await cli(["apply", file, "--local", "--no-wait"])).code, 0, "apply b");
  t.equal(stsLabel(), "b");
  const text = await cli(["history", file, "--local"]);
  t.equal(text.code, 0);
  t.match(text.stdout, `vec (namespace ${ns}): 2 revisions\nREVISION     APPLIED`);
  t.match(text.stdout, /^2 \(current\)\s+\S+Z\s+1\.5\.9\s+chroma\/\S+\s+[0-9a-f]{12}$/m);

  const one = await cli(["rollback", file, "--local", "--instance", "vec"]);
  t.equal(one.code, 0, "two revisions: rollback goes to the first");
  t.equal(stsLabel(), "a");
  const slow = await cli(["rollback", file, "--local", "--instance", "vec", "--to", "2", "--timeout", "3s"]);
  t.equal(slow.code, 1, "not ready within the timeout: exit 1");
  t.match(slow.stderr, /^error: \S+\/vec rolled back but not ready: see why above\./m);
  t.equal(stsLabel(), "b", "revision 2 applied");
  const back = await cli(["rollback", file, "--local", "--instance", "vec", "--to", "1", "--timeout", "2m", "-o", "json"]);
  t.equal(back.code, 0, back.stderr);
  t.match(back.stderr, "vec: rolling back to revision 1 (applied ");
  t.equal((JSON.parse(back.stdout) as { changed: boolean }[])[0]!.changed, true, "-o json: the apply results");
  t.equal(stsLabel(), "a", "the StatefulSet has revision 1's label again");
  h = await listed(file);
  t.same(
    h.revisions.map((r) => [r.revision, r.note ?? null, r.values.labels.rev]),
    [
      [1, null, "a"],
      [2, null, "b"],
      [3, "rollback to 1", "a"],
      [4, "rollback to 2", "b"],
      [5, "rollback to 1", "a"],
    ],
    "each rollback is a revision, noted",
  );
  t.equal(h.revisions[4]!.valuesDigest, h.revisions[0]!.valuesDigest, "with revision 1's values, exactly");
  const status = await cli(["status", file, "--local"]);
  t.match(
    status.stdout,
    /^\S+\/vec: module chroma\/\S+, Chroma 1\.5\.9, values sha256:\S+, revision 5 \(applied \S+Z, rollback to 1\)$/m,
    "status names the current revision",
  );
  const diff = await cli(["diff", file, "--local"]);
  t.equal(diff.code, 1, "the bundle file still says b: diff shows the way back");

  bundle("0.6.3", "c");
  t.equal((await cli(["apply", file, "--local", "--timeout", "2m"])).code, 0, "apply Chroma 0.6.3");
  const refused = await cli(["rollback", file, "--local", "--instance", "vec", "--to", "5"]);
  t.equal(refused.code, 1, "back across a data-format boundary: refused");
  t.match(
    refused.stderr,
    /^error: rollback: refused for \S+\/vec: the instance runs Chroma 0\.6\.3, and the revision runs Chroma 1\.5\.9: their on-disk formats differ/,
  );
  t.match(refused.stderr, "hint: Nothing was changed.");
  t.equal(stsLabel(), "c", "nothing was changed");
  t.equal((await listed(file)).revisions.length, 6);
  const client = KubeClient.load({ kubeconfig: cluster.kubeconfig });
  t.teardown(() => client.close());
  const engine = await history({ name: "vec", namespace: ns }, { client });
  t.same([engine.found, engine.revisions.at(-1)?.note], [true, undefined], "the engine's history(): what the command lists");

  for (const [args, message] of [
    [["rollback", file, "--local"], /^error: rollback: name exactly one instance with --instance\./],
    [
      ["rollback", file, "--local", "--instance", "vec", "--to", "99"],
      /^error: rollback: \S+\/vec has no revision 99\.\nhint: Its revisions: 1, 2, 3, 4, 5, 6/,
    ],
    [["rollback", file, "--local", "--instance", "vec", "--to", "two"], /^error: rollback: --to two: not a revision number\./],
  ] as const) {
    const run = await cli(args);
    t.equal(run.code, 1, args.join(" "));
    t.match(run.stderr, message);
  }

  // A history written by hand: a revision this chroma-mod would not accept, and one with no values recorded.
  const current = (await listed(file)).revisions.at(-1)!;
  const crafted = [
    { revision: 1, appliedAt: "2026-01-01T00:00:00.000Z", tool: "chroma-mod/0.0.1", module: "chroma/0.0.1", valuesDigest: "sha256:00", values: null },
    { ...current, revision: 2, values: { ...(current.values as object), bogus: true } },
    { ...current, revision: 3 },
  ];
  const patch = JSON.stringify([{ op: "replace", path: "/data/history", value: Buffer.from(JSON.stringify(crafted)).toString("base64") }]);
  kubectl(["-n", ns, "patch", "secret", "chroma-mod.vec", "--type=json", "-p", patch]);
  t.match((await cli(["history", file, "--local"])).stdout, /^1\s+2026-01-01T00:00:00Z\s+\?\s+chroma\/0\.0\.1/m, "no values recorded: the version shows as ?");
  const invalid = await cli(["rollback", file, "--local", "--instance", "vec", "--to", "2"]);
  t.equal(invalid.code, 1);
  t.match(
    invalid.stderr,
    /^error: rollback: revision 2 of \S+\/vec is not valid for this chroma-mod \(\S+; it was applied by chroma-mod\/\S+\): [\s\S]*vec\.values\.bogus: unknown key/,
  );

  kubectl(["-n", ns, "patch", "secret", "chroma-mod.vec", "--type=json", "-p", JSON.stringify([{ op: "remove", path: "/data/history" }])]);
  t.equal((await cli(["history", file, "--local"])).stdout, `vec (namespace ${ns}): no revisions recorded yet (applied by a chroma-mod without history)\n`);
  const none = await cli(["rollback", file, "--local", "--instance", "vec"]);
  t.match(none.stderr, /^error: rollback: \S+\/vec has no recorded revision\./);
  t.notMatch((await cli(["status", file, "--local"])).stdout, "revision", "no revision recorded: status names none");
  t.equal((await cli(["apply", file, "--local", "-o", "json"])).code, 0, "the next apply (no change) starts the history again");
  t.match((await cli(["status", file, "--local"])).stdout, /, revision 1 \(applied \S+Z\)$/m, "a plain apply: no note");
  t.match((await cli(["history", file, "--local"])).stdout, `vec (namespace ${ns}): 1 revision\n`);
  const only = await cli(["rollback", file, "--local", "--instance", "vec"]);
  t.match(only.stderr, /^error: rollback: \S+\/vec has one revision only \(1\): nothing to roll back to\./);
});
