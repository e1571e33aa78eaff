/**
 * localcluster/ with no cluster running (see test/e2e/localcluster-binaries.test.ts for the other parts): status,
 * env, user kubeconfigs, pruneVolumes and down before any up, a corrupt state file and a state dir that is a
 * file: each refusal a UserError with a hint a user can follow, also through the CLI (exit 1).
 */
import t from "tap";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createUserKubeconfig, down, env, pruneVolumes, status, up } from "../../localcluster/cluster.ts";
import { cli } from "../fixtures/cli.ts";
import { cleanUp, quiet, tmp, userError, withEnv } from "./fixtures/localcluster.ts";

t.teardown(() => cleanUp());

t.test("before any up: status, env, users, volumes, down", async (t) => {
  const fresh = tmp("fresh");
  const s = await status({ stateDir: fresh });
  t.same(s, { running: false, ready: false, components: [], kubeconfig: join(fresh, "admin.kubeconfig"), server: null, stateDir: fresh });
  const upFresh = `LOCALCLUSTER_STATE_DIR='${fresh}' npx tsx localcluster/cli.ts up`;
  await userError(t, env({ stateDir: fresh }), /^Local cluster: the cluster in .* is not running\.$/, new RegExp(`^start it with \`${upFresh}\`$`));
  await userError(t, pruneVolumes({ stateDir: fresh }), /is not running/, /cli\.ts up`$/);
  await userError(
    t,
    createUserKubeconfig("someone", [], { stateDir: fresh }),
    /^Local cluster: no cluster CA in /,
    new RegExp(`^start the cluster once with \`${upFresh}\`$`),
  );
  const gone = join(fresh, "not-there");
  await down({ stateDir: gone });
  t.notOk(existsSync(gone), "down of a state dir that does not exist creates nothing");
});

t.test("a corrupt state file, a state dir that is a file", async (t) => {
  // Each cuts the validity check at another point; none names processes that could be stopped.
  const corrupt = [
    "not json",
    "null",
    { version: 2 },
    { version: 1 },
    { version: 1, components: [] },
    { version: 1, components: [], server: "x" },
    { version: 1, components: [], server: "x", ports: {} },
  ];
  for (const content of corrupt) {
    const dir = tmp("corrupt-state");
    writeFileSync(join(dir, "state.json"), typeof content === "string" ? content : JSON.stringify(content));
    const what =
      /^Local cluster: the state file \S+state\.json is corrupt or was written by another version of chroma-mod, so which processes run from that state dir is unknown\.$/;
    const fix =
      /^Stop any kube-apiserver, etcd or kwok still running from \S+, then delete the state dir with `LOCALCLUSTER_STATE_DIR='\S+' npx tsx localcluster\/cli\.ts down --purge`/;
    await userError(t, status({ stateDir: dir }), what, fix);
    await userError(t, up({ stateDir: dir, log: quiet }), what, fix);
    await userError(t, down({ stateDir: dir, log: quiet }), what, fix);
    await down({ stateDir: dir, purge: true, log: quiet });
    t.notOk(existsSync(dir), `${JSON.stringify(content)}: down --purge deletes it`);
  }

  // The default state dir of a cache: the hint is the CLI's command (with the cache when it is not the default).
  const cache = tmp("corrupt-default-cache");
  mkdirSync(join(cache, "cluster"));
  writeFileSync(join(cache, "cluster", "state.json"), "{");
  await userError(t, status({ cacheDir: cache }), /is corrupt/, new RegExp(`with \`CHROMA_MOD_CACHE='${cache}' chroma-mod local down --purge\``));
  await withEnv("CHROMA_MOD_CACHE", cache, async () => {
    const run = await cli(["local", "status"]);
    t.equal(run.code, 1);
    t.match(
      run.stderr,
      /^error: Local cluster: the state file .* is corrupt .*\nhint: Stop any .* with `chroma-mod local down --purge` \(the next start makes a new one\)\.\n$/,
    );
    t.same(await cli(["local", "down", "--purge"]), { code: 0, stdout: "stopped and purged\n", stderr: "" });
    t.notOk(existsSync(join(cache, "cluster")));
    t.same(await cli(["local", "env"]), {
      code: 1,
      stdout: "",
      stderr: `error: Local cluster: the cluster in ${join(cache, "cluster")} is not running.\nhint: start it with \`chroma-mod local up\`\n`,
    });
  });

  // A state dir that is a file: nothing can be created in it.
  const file = join(tmp("state-file"), "state-dir");
  writeFileSync(file, "not a directory\n");
  const writable =
    /^Check that \S+state-dir and \S+ are directories you can write to \(move aside anything else in their place\) on a disk with free space, then run the command again\.$/;
  await userError(
    t,
    up({ stateDir: file, log: quiet }),
    /^Local cluster: could not start the cluster \(state dir \S+\): EEXIST: file already exists, mkdir '\S+state-dir'\.$/,
    writable,
  );
  await userError(t, down({ stateDir: file, log: quiet }), /^Local cluster: could not stop the cluster \(state dir \S+\): EEXIST/, writable);
  // status reads the state file inside it: ENOTDIR is "no state file", so not running.
  t.equal((await status({ stateDir: file })).running, false);
});
