/**
 * A local cluster that fails to start in every way, in its private state dir T (see
 * test/e2e/localcluster-binaries.test.ts for the other parts): etcd not executable, a start-up timeout, openssl
 * missing or refusing a corrupt CA, a corrupt etcd data dir, a PV size the apiserver refuses, every port taken.
 * Each a UserError with a hint a user can follow.
 */
import t from "tap";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:net";
import { join } from "node:path";
import { createUserKubeconfig, down, status, up } from "../../localcluster/cluster.ts";
import { cleanUp, fakeCache, listenOn, quiet, tmp, userError } from "./fixtures/localcluster.ts";

const T = tmp("t");
t.teardown(() => cleanUp([T]));

t.test("failures, in state dir T", async (t) => {
  // etcd is a directory: build.sh --check is content, spawning it is not.
  const badCache = fakeCache("etcd-dir-cache", { stages: true, etcdIsDir: true });
  await userError(
    t,
    up({ cacheDir: badCache, stateDir: T, log: quiet }),
    /^Local cluster: could not start .*\/etcd\. Read .*etcd\.log \(last lines: === .*\)\.$/,
    /^run `bash .*build\.sh` to \(re\)build the binaries$/,
  );
  t.ok(existsSync(join(T, "pki", "ca.key")) && existsSync(join(T, "pki", "sa.pub")), "certificates were made first");
  t.ok(JSON.parse(readFileSync(join(T, "state.json"), "utf8")).stoppedAt, "the failed start is recorded as stopped");

  // Nothing is ready within 1 ms (the default logger writes to stderr here).
  const purgeT = new RegExp(`\`LOCALCLUSTER_STATE_DIR='${T}' npx tsx localcluster/cli\\.ts down --purge\``);
  // (Usually etcd /health; on a loaded machine etcd may already answer the first poll.)
  await userError(
    t,
    up({ stateDir: T, timeoutMs: 1 }),
    /^Local cluster: timed out waiting for (etcd \/health|kube-apiserver \/readyz)\. Read \S+\/logs\/(etcd|kube-apiserver)\.log/,
    purgeT,
  );
  t.equal((await status({ stateDir: T })).running, false);

  // openssl missing, then openssl refusing a corrupt CA.
  const path = process.env["PATH"];
  process.env["PATH"] = "/nonexistent";
  try {
    await userError(
      t,
      createUserKubeconfig("nobody", [], { stateDir: T }),
      /`openssl req -new \.\.\.` failed in .*: spawn openssl ENOENT\.$/,
      /^install openssl/,
    );
  } finally {
    process.env["PATH"] = path;
  }
  const corrupt = tmp("corrupt-ca");
  mkdirSync(join(corrupt, "pki"));
  copyFileSync(join(T, "state.json"), join(corrupt, "state.json"));
  writeFileSync(join(corrupt, "pki", "ca.crt"), "not a certificate\n");
  writeFileSync(join(corrupt, "pki", "ca.key"), "not a key\n");
  await userError(t, createUserKubeconfig("nobody", [], { stateDir: corrupt }), /`openssl x509 -req \.\.\.` failed in .*pki: \S/, /openssl/);

  // A PV size the apiserver refuses: the start stops what it started and says which request failed.
  // The 1 ms start above killed etcd while it bootstrapped (no fsync): start this one from an empty data dir,
  // as the error's own fix says, or etcd may never elect itself on a loaded machine.
  // A corrupt etcd data dir (here a file) stops etcd at once: the hint deletes the stale state.
  rmSync(join(T, "etcd"), { recursive: true, force: true });
  writeFileSync(join(T, "etcd"), "not a data dir\n");
  await userError(
    t,
    up({ stateDir: T, log: quiet }),
    /^Local cluster: etcd exited while waiting for etcd \/health\. Read \S+etcd\.log \(last lines: .*\)\.$/,
    purgeT,
  );
  rmSync(join(T, "etcd"), { force: true });
  const st = JSON.parse(readFileSync(join(T, "state.json"), "utf8")) as { components: { pid: number }[]; stoppedAt?: string };
  t.equal(st.components.length, 1, "etcd had started");
  t.ok(st.stoppedAt);
  t.notOk((await status({ stateDir: T })).running);

  // Every port etcd is given is taken right after up picked it: three attempts, then the error says why.
  const taken: Server[] = [];
  t.teardown(() => {
    for (const s of taken) s.close();
  });
  const attempts: string[] = [];
  await userError(
    t,
    up({
      stateDir: T,
      log: (l) => {
        attempts.push(l);
        const m = /^starting etcd on 127\.0\.0\.1:(\d+)$/.exec(l);
        if (m) taken.push(listenOn(Number(m[1]), []));
      },
    }),
    /^Local cluster: etcd exited while waiting for etcd \/health\. Read \S+etcd\.log \(last lines: .*\)\.$/,
    /^if the log says a port is in use, stop the program that holds it; if it names the data dir, delete the stale state with `LOCALCLUSTER_STATE_DIR=/,
  );
  t.match(readFileSync(join(T, "logs", "etcd.log"), "utf8"), /address already in use/);
  t.equal(taken.length, 3, "three attempts");
  t.equal(attempts.filter((l) => l.startsWith("a port was taken")).length, 2, "two retries");

  await down({ stateDir: T, purge: true, log: quiet });
  t.notOk(existsSync(T), "purged");
});
