/** The cluster commands (through the CLI's main) against the real local control plane (`--local`). */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import t from "tap";
import { up } from "../../localcluster/cluster.ts";
import { cli } from "../fixtures/cli.ts";

const cluster = await up({ log: () => {} });
const ns = `cli-${Date.now().toString(36)}`;
const dir = mkdtempSync(join(tmpdir(), "chroma-mod-cli-"));

function bundle(name: string, values: string, namespace = ns): string {
  const file = join(dir, `${name}.config.ts`);
  writeFileSync(
    file,
    `import { defineBundle } from "chroma-mod";\nexport default defineBundle({ instances: { ${name}: { namespace: "${namespace}", createNamespace: true, values: ${values} } } });\n`,
  );
  return file;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 120 && !check(); i++) await new Promise((r) => setTimeout(r, 500));
}

function kubectl(args: string[]): string {
  return spawnSync(cluster.kubectl, args, { env: { ...process.env, KUBECONFIG: cluster.kubeconfig }, encoding: "utf8" }).stdout;
}

// The shared cluster has a fixed set of volumes: the namespaces made here go, with the claims kept in them on
// purpose ("the data stays"), so runs never use the volumes up.
t.teardown(() => void kubectl(["delete", "namespace", ns, `${ns}-team`, `${ns}-never`, "--ignore-not-found", "--wait=false"]));
// …and those of runs that were killed before their teardown (the name holds the run's start time), once they are
// surely over: a run takes minutes, not hours.
const stale = kubectl(["get", "namespaces", "-o", "name"])
  .split("\n")
  .map((line) => /^namespace\/(cli-([0-9a-z]+)(-team|-never)?)$/.exec(line))
  .filter((m): m is RegExpExecArray => m !== null && Date.now() - Number.parseInt(m[2]!, 36) > 2 * 3600_000)
  .map((m) => m[1]!);
if (stale.length > 0) kubectl(["delete", "namespace", ...stale, "--ignore-not-found", "--wait=false"]);

const file = bundle("vec", `{ chromadb: { apiVersion: "0.6.3", auth: { type: "basic" } } }`);

t.test("apply, no-op, diff, dry-run, status, delete", async (t) => {
  const first = await cli(["apply", file, "--local", "--timeout", "2m"]);
  t.equal(first.code, 0, first.stderr);
  t.match(first.stdout, new RegExp(`${ns}/vec: 7 created`));
  t.match(first.stdout, /Secret\/\S+\/vec-auth\s+created \(generated keys: username, password, htpasswd\)/);
  t.match(first.stdout, /ready after/);
  // The local node runs it: the address it answers at, and how to read the credentials (never the credentials).
  const line = new RegExp(
    `^vec: Chroma 0\\.6\\.3 ready at http://127\\.0\\.0\\.1:(\\d+) \\(user: kubectl -n ${ns} get secret vec-auth -o jsonpath='\\{\\.data\\.username\\}' \\| base64 -d; password: kubectl -n ${ns} get secret vec-auth -o jsonpath='\\{\\.data\\.password\\}' \\| base64 -d\\)$`,
    "m",
  );
  t.match(first.stdout, line);
  const port = Number(line.exec(first.stdout)![1]);
  const heartbeat = await fetch(`http://127.0.0.1:${port}/api/v2/heartbeat`);
  t.equal(heartbeat.status, 200, "a real Chroma answers on the printed address");
  t.equal(
    (await fetch(`http://127.0.0.1:${port}/api/v2/tenants/default_tenant/databases/default_database/collections`)).status,
    401,
    "and refuses a client without credentials (the auth proxy's 401)",
  );
  const url = await cli(["local", "url", file]);
  t.same([url.code, url.stdout.replace(/ \(.*/, "")], [0, `vec: Chroma 0.6.3 answers at http://127.0.0.1:${port}\n`]);
  t.notMatch(first.stdout + first.stderr, /\$2[aby]\$/, "no credential is printed");

  const again = await cli(["apply", file, "--local", "-o", "json"]);
  t.equal(again.code, 0);
  const [result] = JSON.parse(again.stdout);
  t.equal(result.writes, 0, "a no-op apply sends no writes");
  t.ok(result.changes.every((c: { action: string }) => c.action === "unchanged"));

  t.equal((await cli(["diff", file, "--local"])).code, 0, "diff: no changes → exit 0");
  const changed = await cli(["diff", file, "--local", "--set", "vec.chromadb.allowReset=true"]);
  t.equal(changed.code, 1, "diff: changes → exit 1");
  t.match(changed.stdout, /- +name: ALLOW_RESET\n-? +value: "FALSE"\n\+ +value: "TRUE"|value: "FALSE"\n\+ +value: "TRUE"/);
  const json = JSON.parse((await cli(["diff", file, "--local", "--set", "vec.chromadb.allowReset=true", "-o", "json"])).stdout);
  t.ok(json[0].changed);

  const dry = await cli(["apply", file, "--local", "--dry-run", "--set", "vec.chromadb.allowReset=true"]);
  t.same(JSON.parse((await cli(["apply", file, "--local", "--dry-run", "-o", "json"])).stdout)[0].writes, 0, "dry run -o json");
  t.equal(dry.code, 0);
  t.match(dry.stdout, /dry run: nothing was changed/);
  t.equal((await cli(["diff", file, "--local", "--set", "vec.chromadb.allowReset=true"])).code, 1, "the dry run changed nothing");

  // A pod of no StatefulSet in the namespace is not the instance's.
  const bare = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "bare", namespace: ns },
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
      containers: [{ name: "c", image: "registry.example/bare:1", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } }],
    },
  };
  t.equal(spawnSync(cluster.kubectl, ["apply", "-f", "-"], { input: JSON.stringify(bare), env: { ...process.env, KUBECONFIG: cluster.kubeconfig } }).status, 0);
  const status = await cli(["status", file, "--local"]);
  t.equal(status.code, 0, status.stdout);
  t.notMatch(status.stdout, /Pod\/\S+\/bare/);
  t.match(status.stdout, /Pod\/\S+\/vec-0 +Current: Ready, restarts 0/);
  t.match(status.stdout, new RegExp(`${ns}/vec: module chroma/\\S+, Chroma 0\\.6\\.3`));
  t.match(status.stdout, /StatefulSet\/\S+\/vec\s+Current/);

  const pruned = await cli(["diff", file, "--local", "--set", "vec.serviceAccount.create=false"]);
  t.equal(pruned.code, 1);
  t.match(pruned.stdout, /# ServiceAccount\/\S+\/vec: pruned\n--- live\/ServiceAccount/, "a prune shows as a deletion");
  const statusJson = JSON.parse((await cli(["status", file, "--local", "-o", "json"])).stdout);
  t.equal(statusJson[0].chromaVersion, "0.6.3");
  kubectl(["-n", ns, "delete", "serviceaccount", "vec"]);
  const gone = await cli(["status", file, "--local"]);
  t.equal(gone.code, 1, "an object of the inventory is gone: status exits 1");
  t.match(gone.stdout, /ServiceAccount\/\S+\/vec\s+NotFound/);
  t.match(gone.stdout, new RegExp(`${ns}/vec: module chroma/\\S+, Chroma 0\\.6\\.3`), "the module still describes what runs");
  const removed = await cli(["delete", file, "--local", "-o", "json", "--timeout", "90"]);
  t.equal(removed.code, 0, removed.stderr);
  t.same(JSON.parse(removed.stdout)[0].inventory, "kept");
  const removedAgain = await cli(["delete", file, "--local"]);
  t.match(removedAgain.stdout, /kept \d+ object\(s\) holding data/);
  t.match(kubectl(["-n", ns, "get", "pvc", "-o", "name"]), "persistentvolumeclaim/data-vec-0", "the data stays");
  t.match(kubectl(["-n", ns, "get", "secret", "-o", "name"]), "secret/vec-auth", "the credentials stay");
  const after = (await cli(["status", file, "--local"])).stdout;
  t.match(after, /Secret\/\S+\/vec-auth\s+Current/, "status after delete lists what was kept");
  t.notMatch(after, /StatefulSet/);
  // delete does not wait (no --wait): the StatefulSet's pod goes a moment later, and with it the loopback address.
  let unserved = await cli(["local", "url", file]);
  for (let i = 0; i < 120 && unserved.code === 0; i++) {
    await new Promise((r) => setTimeout(r, 500));
    unserved = await cli(["local", "url", file]);
  }
  t.same(unserved, { code: 1, stdout: "vec: Chroma 0.6.3 not reachable on loopback yet (no running pod of it on the local node)\n", stderr: "" });
});

t.test("a pod that never gets ready: apply waits, then says why", async (t) => {
  // A version no test installs: apply says the local node installs it on first use (it never starts here).
  const stuck = bundle("stuck", `{ chromadb: { apiVersion: "1.0.0", isPersistent: false, auth: { enabled: false } }, nodeSelector: { "no-such-label": "x" } }`);
  const run = await cli(["apply", stuck, "--local", "--timeout", "8s"]);
  t.equal(run.code, 1);
  t.match(run.stdout, /NOT READY after \d/);
  t.match(run.stdout, /Unschedulable|didn't match|node\(s\)/i);
  t.match(run.stderr, /error: \S+\/stuck applied but not ready: see why above\.\nhint: .*\(it was 8s\)/);
  t.match(run.stderr, /^local node: Chroma 1\.0\.0 will be installed from PyPI into a virtualenv on first use/m);
  t.notMatch(run.stdout, /stuck: Chroma/, "no address for an instance that is not ready");
  t.match(
    (await cli(["status", stuck, "--local"])).stdout,
    /Pod\/\S+\/stuck-0 +InProgress: not scheduled: .*, restarts 0/,
    "a pod not started yet: no restarts",
  );
  t.same(await cli(["local", "url", stuck]), {
    code: 1,
    stdout: "stuck: Chroma 1.0.0 not reachable on loopback yet (no running pod of it on the local node)\n",
    stderr: "",
  });
  await cli(["delete", stuck, "--local", "--delete-data"]);
});

t.test("cluster errors: one paragraph, the right exit code", async (t) => {
  const missing = await cli(["apply", file, "--kubeconfig", join(dir, "nope.kubeconfig")]);
  t.equal(missing.code, 1);
  t.match(missing.stderr, /^error: .*nope\.kubeconfig/);
  t.notMatch(missing.stderr, /\n\s+at /);
  const unreachable = join(dir, "unreachable.kubeconfig");
  writeFileSync(
    unreachable,
    "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]\nusers: [{name: u, user: {token: x}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n",
  );
  const down = await cli(["apply", file, "--kubeconfig", unreachable]);
  t.equal(down.code, 1);
  t.match(down.stderr, /Cannot reach the Kubernetes API server at https:\/\/127\.0\.0\.1:1/);
  t.equal((await cli(["diff", file, "--kubeconfig", unreachable])).code, 2, "diff errors exit 2");
  t.match((await cli(["apply", file, "--local", "--context", "x"])).stderr, "--local cannot be combined with --kubeconfig or --context.");
  t.match((await cli(["apply", file, "--local", "--timeout", "soon"])).stderr, "--timeout soon: not a duration.");
});

t.test("status of an instance that was never applied", async (t) => {
  const never = bundle("never", "{}", `${ns}-never`);
  const run = await cli(["status", never, "--local"]);
  t.equal(run.code, 1);
  t.match(run.stdout, /never: not installed \(no inventory\)/);
  const diff = await cli(["diff", never, "--local"]);
  t.equal(diff.code, 1);
  t.match(diff.stdout, /# Secret\/\S+\/never-auth: created \(generated keys: token\)\n/);
  t.match(diff.stdout, /^\+ {2}token: "\*\*\*"$/m, "the generated token is masked");
  t.notMatch(diff.stdout, /^\+\s+token: (?!"\*\*\*")/m, "generated values never show in a diff");
});

t.test("local up, status, down and purge of a second cluster in its own cache", async (t) => {
  const saved = process.env["CHROMA_MOD_CACHE"];
  const cache = mkdtempSync(join(tmpdir(), "chroma-mod-second-"));
  mkdirSync(join(cache, "bin"));
  symlinkSync(cluster.binDir, join(cache, "bin", basename(cluster.binDir))); // the binaries built once, shared
  symlinkSync(join(cluster.binDir, "..", "..", "venvs"), join(cache, "venvs")); // and the Chroma virtualenvs
  process.env["CHROMA_MOD_CACHE"] = cache;
  t.teardown(() => {
    if (saved === undefined) delete process.env["CHROMA_MOD_CACHE"];
    else process.env["CHROMA_MOD_CACHE"] = saved;
  });
  const started = await cli(["local", "up"]);
  t.equal(started.code, 0, started.stderr);
  t.match(started.stdout, /^started in \d+\.\ds: Kubernetes v1\.\d+\.\d+ at https:\/\/127\.0\.0\.1:\d+\nkubeconfig: /);
  t.match(started.stderr, /ready in/, "progress lines on stderr");
  t.match(
    (await cli(["local", "status"])).stdout,
    /^running at https:\/\/127\.0\.0\.1:\d+; API ready: true\n(.|\n)* {2}kube-apiserver pid \d+ alive: true(.|\n)*\nvolumes: 0\n$/,
  );
  // A claim gets a volume of its own; deleted, the volume is kept (Retain) until `local prune`.
  const second = JSON.parse(readFileSync(join(cache, "cluster", "state.json"), "utf8")) as { server: string };
  const k = (args: string[]) => spawnSync(cluster.kubectl, ["--kubeconfig", join(cache, "cluster", "admin.kubeconfig"), ...args], { encoding: "utf8" });
  t.match(second.server, /^https:/);
  const claim = {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: "c", namespace: "default" },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
  };
  t.equal(
    spawnSync(cluster.kubectl, ["--kubeconfig", join(cache, "cluster", "admin.kubeconfig"), "apply", "-f", "-"], {
      input: JSON.stringify(claim),
      encoding: "utf8",
    }).status,
    0,
  );
  await until(() => k(["get", "pvc", "c", "-o", "jsonpath={.status.phase}"]).stdout === "Bound");
  t.equal((await cli(["local", "prune"])).stdout, "no volume to prune: every local volume is held by a claim\n");
  t.match((await cli(["local", "status"])).stdout, /\nvolumes: 1\n {2}pvc-\S+ Bound 1Gi claim default\/c \(\S+\)\n$/);
  k(["delete", "pvc", "c"]);
  await until(() => /Released/.test(k(["get", "pv", "-o", "jsonpath={.items[*].status.phase}"]).stdout));
  t.match((await cli(["local", "status"])).stdout, /\nvolumes: 1 \(1 no claim holds any more: `chroma-mod local prune` deletes them and their data\)\n/);
  t.match((await cli(["local", "prune"])).stdout, /^deleted 1 volume\(s\) and their data: pvc-\S+ \(was default\/c\)\n$/);

  // A Chroma's data survives `local down` and `local up`: the node starts its pod again on the same volume.
  const open = bundle("open", `{ chromadb: { auth: { enabled: false } } }`, "open-data");
  const applied = await cli(["apply", open, "--local", "--timeout", "3m"]);
  t.equal(applied.code, 0, applied.stderr);
  const port = Number(/^open: Chroma 1\.5\.9 ready at http:\/\/127\.0\.0\.1:(\d+)$/m.exec(applied.stdout)![1]);
  const collections = `http://127.0.0.1:${port}/api/v2/tenants/default_tenant/databases/default_database/collections`;
  const made = await fetch(collections, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "survives" }) });
  t.equal(made.status, 200, await made.text());
  t.same(await cli(["local", "down"]), { code: 0, stdout: "stopped\n", stderr: "" });
  await t.rejects(fetch(collections), "nothing answers while the cluster is down");
  t.equal((await cli(["local", "up"])).code, 0);
  const again = await cli(["apply", open, "--local", "--timeout", "3m"]);
  t.equal(again.code, 0, again.stderr);
  t.match(again.stdout, `open: Chroma 1.5.9 ready at http://127.0.0.1:${port}`, "the same loopback port");
  const listed = (await (await fetch(collections)).json()) as { name: string }[];
  t.same(
    listed.map((c) => c.name),
    ["survives"],
    "the data is still there",
  );
  t.same(await cli(["local", "down"]), { code: 0, stdout: "stopped\n", stderr: "" });
  t.equal((await cli(["local", "down", "--purge"])).stdout, "stopped and purged\n");
  const status = await cli(["local", "status"]);
  t.equal(status.code, 3);
  t.match(status.stdout, /^not running; API ready: false\n/);
  t.match((await cli(["local"])).stderr, "error: local: expected up, down, status, env, url or prune.\n");
  t.match((await cli(["local", "agent"])).stderr, /^error: local agent: the local node's agent is started by `chroma-mod local up`/);
});

t.test("local status and env", async (t) => {
  const status = await cli(["local", "status"]);
  t.equal(status.code, 0);
  t.match(status.stdout, /^running at https:\/\/127\.0\.0\.1:\d+; API ready: true\n/);
  t.match((await cli(["local", "env"])).stdout, /export KUBECONFIG=/);
  t.match((await cli(["local", "up"])).stdout, /^already running: Kubernetes v1\.\d+\.\d+ at https/);
  const bad = await cli(["local", "sideways"]);
  t.equal(bad.code, 1);
  t.match(bad.stderr, 'error: local: expected up, down, status, env, url or prune, got "sideways".');
});

t.test("a bundle's namespace and instances: created once, an instance that left it removed (said first)", async (t) => {
  const shared = `${ns}-team`;
  const file = join(dir, "team.config.ts");
  const write = (names: string[], name = "") =>
    writeFileSync(
      file,
      `import { defineBundle } from "chroma-mod";\nexport default defineBundle({ ${name ? `name: "${name}", ` : ""}instances: { ${names
        .map((n) => `${n}: { namespace: "${shared}", createNamespace: true, values: { chromadb: { isPersistent: false, auth: { enabled: false } } } }`)
        .join(", ")} } });\n`,
    );
  write(["alpha", "beta"]);
  const first = await cli(["apply", file, "--local", "--no-wait"]);
  t.equal(first.code, 0, first.stderr);
  t.equal(first.stdout.match(/Namespace\//g)?.length, 1, "the namespace is created once");
  t.match(
    kubectl(["-n", shared, "get", "secret", "chroma-mod.alpha", "-o", "jsonpath={.metadata.labels.chroma-mod\\.io/bundle}"]),
    "team",
    "the bundle is named after its file",
  );

  write(["alpha"]);
  // Named after its file only: another file of that name could own beta, so it is reported and kept.
  const unnamed = await cli(["apply", file, "--local", "--no-wait"]);
  t.equal(unnamed.code, 0, unnamed.stderr);
  t.match(unnamed.stderr, `${shared}/beta plan: labelled with bundle "team" but not in this bundle: kept, because the bundle's name comes from its file name`);
  t.match(unnamed.stderr, 'Set `name: "team"` in the bundle');
  t.notMatch(unnamed.stdout, /beta/);
  t.match(kubectl(["-n", shared, "get", "statefulset", "-o", "name"]), "statefulset.apps/beta", "kept");
  t.equal((await cli(["diff", file, "--local"])).code, 0, "nothing to remove for a bundle named after its file");

  write(["alpha"], "team");
  const d = await cli(["diff", file, "--local"]);
  t.equal(d.code, 1, "diff shows the removal");
  t.match(d.stdout, `# ${shared}/beta: no longer in the bundle: apply would delete it as \`chroma-mod delete\` does`);
  t.match(d.stdout, new RegExp(`# StatefulSet/${shared}/beta: deleted\\n--- live/StatefulSet`));
  t.match(d.stderr, `${shared}/beta plan: no longer in bundle "team"`);
  const dry = await cli(["apply", file, "--local", "--dry-run"]);
  t.match(dry.stdout, new RegExp(`${shared}/beta: \\d+ deleted \\(no longer in the bundle: apply would delete it .*\\(dry run: nothing was changed\\)`));
  const one = await cli(["apply", file, "--local", "--no-wait", "--instance", "alpha"]);
  t.equal(one.code, 0, one.stderr);
  t.notMatch(one.stdout, /beta/, "--instance never removes the others");
  t.match(kubectl(["-n", shared, "get", "statefulset", "-o", "name"]), "statefulset.apps/beta");
  const run = await cli(["apply", file, "--local", "--no-wait"]);
  t.equal(run.code, 0, run.stderr);
  t.match(
    run.stdout,
    new RegExp(
      `^${shared}/beta: \\d+ deleted \\(no longer in the bundle: deleted as \`chroma-mod delete\` does, PersistentVolumeClaims and credentials kept\\)`,
    ),
    "said first",
  );
  const said = run.stderr.indexOf(`${shared}/beta plan: no longer in bundle "team": deleting it`);
  t.ok(said >= 0 && said < run.stderr.indexOf(`${shared}/alpha`), "said before anything is applied");
  t.notMatch(kubectl(["-n", shared, "get", "statefulset", "-o", "name"]), "beta");
  t.equal((await cli(["diff", file, "--local"])).code, 0, "converged");
  await cli(["delete", file, "--local", "--delete-data"]);
});
