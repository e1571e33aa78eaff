/**
 * localcluster/ against real processes, in private temp state dirs (never the shared cluster in
 * <cacheDir>/cluster): up from scratch (after a build slower than its start-up timeout) and again, status, env,
 * user kubeconfigs that RBAC forbids, recycleVolumes, a killed component and a stopped one, a port taken under
 * its feet, down, purge, the state dir's lock (concurrent ups take turns; a live holder's lock is never taken,
 * a killed holder's is once stale; a lost lock is said), and the errors, each a UserError with a hint a user can
 * follow (binaries missing, Go missing or too old, bash missing, build failing, spawn failing, timeout, lock held,
 * openssl failing, bad PV size, every port taken, a corrupt state file, a corrupt etcd data dir, a state dir that
 * is a file), also through the CLI (exit 1, never an internal error).
 * Binaries come from the real cache (built once by build.sh); fake caches are symlinks to them.
 */
import t, { type Test } from "tap";
import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import {
  createUserKubeconfig,
  defaultCacheDir,
  down,
  ensureBinaries,
  env,
  localClusterPaths,
  pinnedK8sVersion,
  recycleVolumes,
  status,
  up,
  type ClusterInfo,
} from "../../localcluster/cluster.ts";
import { LOCK_STALE_MS, LOCK_UPDATE_MS, withLock } from "../../localcluster/state.ts";
import { UserError } from "../../engine/errors.ts";
import { cli } from "../fixtures/cli.ts";

const real = localClusterPaths();
const quiet = (): void => {};
const temps: string[] = [];
const tmp = (name: string): string => {
  const d = mkdtempSync(join(tmpdir(), `lc-test-${name}-`));
  temps.push(d);
  return d;
};
// Private state dirs: S is the main cluster, T the one that fails in every way.
const S = tmp("s");
const T = tmp("t");
t.teardown(async () => {
  for (const stateDir of [S, T]) await down({ stateDir, purge: true, log: quiet });
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

async function waitUntil(what: string, ok: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

function kubectl(info: ClusterInfo, args: string[], opts: { kubeconfig?: string; input?: string } = {}) {
  const r = spawnSync(info.kubectl, ["--kubeconfig", opts.kubeconfig ?? info.kubeconfig, ...args], { input: opts.input, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A cache dir whose bin dir links to the real binaries and stamps (so build.sh --check agrees with it). */
function fakeCache(name: string, opts: { stages: boolean; etcdIsDir?: boolean }): string {
  const cache = tmp(name);
  const bin = join(cache, "bin", real.k8sVersion);
  mkdirSync(bin, { recursive: true });
  for (const f of readdirSync(real.binDir)) {
    if (f.startsWith(".stamp-")) copyFileSync(join(real.binDir, f), join(bin, f));
    else if (f === "kwok-stages") {
      if (opts.stages) symlinkSync(join(real.binDir, f), join(bin, f));
    } else if (f === "etcd" && opts.etcdIsDir === true)
      mkdirSync(join(bin, f)); // "executable" for [[ -x ]], not for exec
    else symlinkSync(join(real.binDir, f), join(bin, f));
  }
  return cache;
}

/** Listen on `port` (no host: binds synchronously, on all addresses, so 127.0.0.1 too); errors are collected. */
function listenOn(port: number, errors: Error[]): Server {
  return createServer()
    .once("error", (e) => errors.push(e))
    .listen({ port });
}

/** `p` rejects with a UserError (what the CLI prints as `error: …` + `hint: …`, exit 1) whose message and hint match. */
async function userError(t: Test, p: Promise<unknown>, message: RegExp, hint: RegExp): Promise<UserError | undefined> {
  const e = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!t.ok(e instanceof UserError, `a UserError, got: ${String(e)}`)) return undefined;
  const u = e as UserError;
  t.match(u.message, message);
  t.match(u.hint, hint);
  t.notMatch(u.message, /\n/, "one paragraph");
  t.notMatch(u.hint, /\(\)|\bpurge: true\b/, "the hint names commands, not functions");
  return u;
}

/** Run `fn` with process.env[name] set to `value` (undefined: unset), restoring it after. */
async function withEnv<T>(name: string, value: string | undefined, fn: () => Promise<T>): Promise<T> {
  const saved = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  }
}

/** PATH without the Go toolchain (bash, awk, openssl... stay). */
const PATH_WITHOUT_GO = "/usr/sbin:/usr/bin:/sbin:/bin";

// The main cluster S starts first, from a cache whose binaries are there but whose kwok stage files are not, so
// up() runs build.sh; that build waits for the cache's build lock, which this file holds (flock -o: the lock
// goes with the flock process) until at least START_TIMEOUT_MS have passed and every test that changes PATH
// is done. A build slower than the start-up timeout must not make the start fail (the timeout counts from the
// end of the build). The other tests run meanwhile.
const START_TIMEOUT_MS = 90_000;
const slowCache = fakeCache("slow-build-cache", { stages: false });
const buildLock = join(slowCache, "bin", ".build.lock");
const lockHolder = spawn("flock", ["-o", buildLock, "sleep", "3600"], { stdio: "ignore", detached: true });
const releaseBuildLock = (): void => {
  try {
    process.kill(-lockHolder.pid!, "SIGKILL");
  } catch {
    /* already released */
  }
};
t.teardown(releaseBuildLock);
await waitUntil("the build lock held", () => spawnSync("flock", ["-n", buildLock, "true"]).status === 1, 10_000);
const mainLogs: string[] = [];
const mainStartedAt = Date.now();
const mainUp = up({ cacheDir: slowCache, stateDir: S, pvCount: 3, timeoutMs: START_TIMEOUT_MS, log: (l) => mainLogs.push(l) });
mainUp.catch(() => {}); // awaited in "the main cluster"

/** Take `port` once it is free (a killed process closes its sockets just after its /proc entry empties). */
async function holdPort(port: number): Promise<Server> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const errors: Error[] = [];
    const srv = listenOn(port, errors);
    await sleep(50);
    if (errors.length === 0) return srv;
    if (Date.now() > deadline) throw errors[0];
  }
}

t.test("paths: cache dir, pinned version, default state dir", async (t) => {
  const saved = process.env["CHROMA_MOD_CACHE"];
  t.teardown(() => {
    if (saved === undefined) delete process.env["CHROMA_MOD_CACHE"];
    else process.env["CHROMA_MOD_CACHE"] = saved;
  });
  process.env["CHROMA_MOD_CACHE"] = "/somewhere/else";
  t.equal(defaultCacheDir(), "/somewhere/else");
  process.env["CHROMA_MOD_CACHE"] = "";
  t.equal(defaultCacheDir(), join(homedir(), ".cache", "chroma-mod"));
  delete process.env["CHROMA_MOD_CACHE"];
  t.equal(defaultCacheDir(), join(homedir(), ".cache", "chroma-mod"));
  t.match(pinnedK8sVersion(), /^v1\.\d+\.\d+$/);
  const p = localClusterPaths("/c");
  t.equal(p.binDir, `/c/bin/${pinnedK8sVersion()}`);
  t.equal(p.stateDir, "/c/cluster");
  t.equal(p.kubeconfig, "/c/cluster/admin.kubeconfig");
  t.equal(localClusterPaths("/c", "/s").stateFile, "/s/state.json");
});

t.test("ensureBinaries: up to date, missing with build: false, build failing, build repairing", async (t) => {
  const ok = await ensureBinaries();
  t.equal(ok.binDir, real.binDir, "build.sh --check passes on the real cache");

  const empty = tmp("empty-cache");
  const missing = /^Local cluster: the control-plane binaries in .* are missing or stale and building was disabled \(build: false\)\.$/;
  const buildThem = /^build them with `bash \/\S+\/localcluster\/build\.sh` \(a cold build takes about 30 minutes\), then retry$/;
  await userError(t, ensureBinaries({ cacheDir: empty, build: false }), missing, buildThem);
  await userError(t, up({ cacheDir: empty, build: false, stateDir: tmp("never"), log: quiet }), missing, buildThem);

  // bin is a file: build.sh --check fails, then build.sh cannot mkdir the bin dir.
  const broken = tmp("broken-cache");
  writeFileSync(join(broken, "bin"), "not a directory\n");
  const lines: string[] = [];
  await userError(
    t,
    ensureBinaries({ cacheDir: broken, log: (l) => lines.push(l) }),
    /build\.sh exited with code 1 while building the control-plane binaries\. Read .*build\.log \(last lines: .*Not a directory/,
    /^fix the Go error shown there .*then run the command again or `bash \S+build\.sh`/,
  );
  t.match(lines[0], /^building control-plane binaries into /);

  // kwok's stage files missing: build.sh restores them from the module cache and builds nothing.
  const noStages = fakeCache("no-stages-cache", { stages: false });
  const repaired = await ensureBinaries({ cacheDir: noStages, log: quiet });
  t.ok(existsSync(join(repaired.kwokStagesDir, "pod", "fast", "pod-ready.yaml")), "stage files restored");
  t.match(readFileSync(repaired.buildLog, "utf8"), /kube: up to date/);
});

t.test("no Go toolchain, or one too old; no bash", async (t) => {
  // stdin not a pipe: bash reads ~/.bashrc (which may put go on PATH) when its stdin is a socket, as node's pipes are.
  t.not(spawnSync("bash", ["-c", "command -v go"], { env: { PATH: PATH_WITHOUT_GO }, stdio: "ignore" }).status, 0, `no go in ${PATH_WITHOUT_GO}`);
  const noGo = /^Local cluster: Go 1\.\d+\.\d+ or newer is required to build the local control plane, and `go` is not on PATH\.$/;
  const installGo = /^Install that Go \(https:\/\/go\.dev\/dl\/\) .*`--context <name>` .*`chroma-mod build <bundle>`/;
  await withEnv("PATH", PATH_WITHOUT_GO, async () => {
    await userError(t, ensureBinaries({ cacheDir: tmp("no-go-cache"), log: quiet }), noGo, installGo);
    await userError(t, up({ cacheDir: tmp("no-go-cache"), stateDir: tmp("no-go-state"), log: quiet }), noGo, installGo);
    // Binaries built before are used as they are: without Go nothing could rebuild them.
    const built = fakeCache("no-go-built-cache", { stages: true });
    t.equal((await ensureBinaries({ cacheDir: built })).binDir, join(built, "bin", real.k8sVersion));
  });

  // README's first command and `local up`, through the CLI: exit 1, the message and its hint, no internal error.
  const cache = tmp("no-go-cli-cache");
  await withEnv("CHROMA_MOD_CACHE", cache, () =>
    withEnv("PATH", PATH_WITHOUT_GO, async () => {
      for (const args of [
        ["apply", "bundles/dev.config.ts", "--local"],
        ["local", "up"],
      ]) {
        const run = await cli(args);
        t.equal(run.code, 1, args.join(" "));
        t.match(
          run.stderr,
          /^error: Local cluster: Go 1\.\d+\.\d+ or newer is required to build the local control plane, and `go` is not on PATH\.\nhint: Install that Go/m,
        );
        t.notMatch(run.stderr, /internal error|report it as a bug/);
      }
    }),
  );
  t.notOk(existsSync(join(cache, "bin")), "nothing was built");

  // A Go older than the modules' `go` directive.
  const oldGo = tmp("old-go");
  writeFileSync(join(oldGo, "go"), '#!/bin/sh\nif [ "$1 $2" = "env GOVERSION" ]; then echo go1.22.1; exit 0; fi\necho "go: unexpected $*" >&2; exit 1\n');
  chmodSync(join(oldGo, "go"), 0o755);
  await withEnv("PATH", `${oldGo}:${PATH_WITHOUT_GO}`, () =>
    userError(
      t,
      ensureBinaries({ cacheDir: tmp("old-go-cache"), log: quiet }),
      new RegExp(
        `^Local cluster: Go 1\\.\\d+\\.\\d+ or newer is required to build the local control plane, and \`go\` on PATH is go1\\.22\\.1 \\(${oldGo}/go\\)\\.$`,
      ),
      installGo,
    ),
  );

  // No bash at all.
  await withEnv("PATH", "/nonexistent", () =>
    userError(
      t,
      ensureBinaries({ cacheDir: tmp("no-bash-cache"), log: quiet }),
      /^Local cluster: could not run `bash \S+build\.sh`: spawn bash ENOENT\.$/,
      /^install bash/,
    ),
  );
});

t.test("before any up: status, env, users, volumes, down", async (t) => {
  const fresh = tmp("fresh");
  const s = await status({ stateDir: fresh });
  t.same(s, { running: false, ready: false, components: [], kubeconfig: join(fresh, "admin.kubeconfig"), server: null, stateDir: fresh });
  const upFresh = `LOCALCLUSTER_STATE_DIR='${fresh}' npx tsx localcluster/cli.ts up`;
  await userError(t, env({ stateDir: fresh }), /^Local cluster: the cluster in .* is not running\.$/, new RegExp(`^start it with \`${upFresh}\`$`));
  await userError(t, recycleVolumes({ stateDir: fresh }), /is not running/, /cli\.ts up`$/);
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

/** A child process that takes the lock of `stateDir` and holds it until killed; resolves once it holds it. */
async function holdLockInChild(stateDir: string) {
  const fixture = fileURLToPath(new URL("fixtures/lock-holder.ts", import.meta.url));
  const child = spawn("env", ["-u", "NODE_V8_COVERAGE", "-u", "NODE_OPTIONS", process.execPath, "--import", "tsx", fixture, stateDir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  await waitUntil("the holder to take the lock", () => out.includes("locked\n"), 30_000);
  return child;
}

const alive = (pid: number): boolean => spawnSync("kill", ["-0", String(pid)]).status === 0;

t.test("the state dir's lock: a live holder, a killed one, a lost one, the state dir removed while waiting", async (t) => {
  const dir = tmp("locked");
  const lock = join(dir, "state.lock");
  const holder = await holdLockInChild(dir);
  t.teardown(() => {
    holder.kill("SIGKILL");
  });
  // A live holder keeps its lock fresh: a caller waiting past the stale time neither takes nor removes it.
  const waitMs = LOCK_STALE_MS + 2000;
  await userError(
    t,
    up({ stateDir: dir, timeoutMs: waitMs, log: quiet }),
    new RegExp(`^Local cluster: another process \\(pid ${holder.pid}\\) holds ${lock} and did not release it within ${waitMs} ms\\.$`),
    new RegExp(
      `^wait for that process \\(another \`chroma-mod local up\`/\`down\` or a \`--local\` command\\) to finish, or stop it with \`kill ${holder.pid}\`, then retry$`,
    ),
  );
  t.ok(existsSync(lock) && alive(holder.pid!), "the live holder still holds its lock");

  // Killed, it leaves its lock behind; once stale (not refreshed for LOCK_STALE_MS) the next caller takes it over.
  holder.kill("SIGKILL");
  await waitUntil("the holder gone", () => !alive(holder.pid!), 10_000);
  t.ok(existsSync(lock), "a killed holder leaves its lock");
  const t0 = Date.now();
  await down({ stateDir: dir, purge: true, log: quiet });
  const took = Date.now() - t0;
  t.ok(took > LOCK_STALE_MS - LOCK_UPDATE_MS - 1000 && took < 30_000, `taken over once stale, after ${took} ms`);
  t.notOk(existsSync(dir), "purged");

  // A lock left long ago (e.g. before a reboot) is stale at once.
  const old = tmp("old-lock");
  mkdirSync(join(old, "state.lock"));
  writeFileSync(join(old, "state.lock.pid"), String(spawnSync("true").pid));
  const past = new Date(Date.now() - 60_000);
  utimesSync(join(old, "state.lock"), past, past);
  await down({ stateDir: old, purge: true, log: quiet });
  t.notOk(existsSync(old), "purged at once");

  // A fresh lock whose holder wrote no pid (yet): the message names the lock only, and the lock stays.
  const fresh = tmp("fresh-lock");
  mkdirSync(join(fresh, "state.lock"));
  await userError(
    t,
    up({ stateDir: fresh, timeoutMs: 500, log: quiet }),
    new RegExp(`^Local cluster: another process holds ${join(fresh, "state.lock")} and did not release it within 500 ms\\.$`),
    /^wait for that process \(another `chroma-mod local up`\/`down` or a `--local` command\) to finish, then retry$/,
  );
  t.ok(existsSync(join(fresh, "state.lock")), "a fresh lock is never removed");

  // The state dir removed while a caller waits for its lock.
  const waiting = down({ stateDir: fresh, log: quiet });
  await sleep(400);
  rmSync(fresh, { recursive: true });
  await userError(
    t,
    waiting,
    /^Local cluster: could not take the lock \S+state\.lock: ENOENT: no such file or directory, mkdir/,
    /^make sure \S+ exists and is writable, then retry$/,
  );

  // A holder whose lock is removed under it says so, and leaves what is no longer its own.
  const lost = tmp("lost-lock");
  const paths = localClusterPaths(undefined, lost);
  const lines: string[] = [];
  await withLock(
    paths,
    1000,
    (l) => lines.push(l),
    async () => {
      rmSync(paths.lock, { recursive: true });
      await waitUntil("the loss noticed", () => lines.length > 0, LOCK_UPDATE_MS * 3);
    },
  );
  t.match(lines, [new RegExp(`^lost the lock ${paths.lock} \\(.*\\); another process may change this cluster at the same time$`)]);
  t.ok(existsSync(paths.lockOwner), "the owner file is left to whoever holds the lock now");
});

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
  await userError(
    t,
    up({ stateDir: T, pvSize: "plenty", log: quiet }),
    /^Local cluster: .*PersistentVolume "local-pv-00".*quantities must match/,
    /^The local kube-apiserver refused the request or did not answer: the message above says why \(\S+kube-apiserver\.log has more\)/,
  );
  const st = JSON.parse(readFileSync(join(T, "state.json"), "utf8")) as { components: { pid: number }[]; stoppedAt?: string };
  t.equal(st.components.length, 2, "etcd and kube-apiserver had started");
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

t.test("the main cluster, in state dir S", async (t) => {
  // Every test that changes PATH is done: let S's build go on, once it has outlasted the start-up timeout.
  const wait = mainStartedAt + START_TIMEOUT_MS + 1000 - Date.now();
  if (wait > 0) await sleep(wait);
  const releasedAt = Date.now();
  releaseBuildLock();
  const info = await mainUp;
  const logs = mainLogs;
  t.comment(`up after a build of ${releasedAt - mainStartedAt} ms: ready ${Date.now() - releasedAt} ms after the build lock was released`);
  t.match(logs[0], /^building control-plane binaries into /, "up ran build.sh");
  t.ok(info.startupMs > START_TIMEOUT_MS, `the build and start took ${info.startupMs} ms, more than the start-up timeout of ${START_TIMEOUT_MS} ms`);
  t.ok(existsSync(join(slowCache, "bin", real.k8sVersion, "kwok-stages", "pod", "fast", "pod-ready.yaml")), "the build restored the stage files");
  t.equal(info.alreadyRunning, false);
  t.equal(info.stateDir, S);
  t.equal(info.kubeconfig, join(S, "admin.kubeconfig"));
  t.equal(info.kubectl, join(slowCache, "bin", real.k8sVersion, "kubectl"));
  t.same(
    info.components.map((c) => c.name),
    ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"],
  );
  t.equal(new Set(Object.values(info.ports)).size, 5, "five distinct ports");
  for (const f of ["ca.crt", "apiserver.crt", "admin.key", "front-proxy-client.crt", "sa.pub"]) t.ok(existsSync(join(S, "pki", f)), f);
  t.match(logs.at(-1), /^ready in [\d.]+ s: https:\/\/127\.0\.0\.1:\d+/);

  t.test("up again is a no-op", async (t) => {
    const again = await up({ stateDir: S, log: quiet });
    t.equal(again.alreadyRunning, true);
    t.equal(again.server, info.server);
  });

  t.test("status and env", async (t) => {
    const s = await status({ stateDir: S });
    t.equal(s.running, true);
    t.equal(s.ready, true);
    t.equal(s.server, info.server);
    t.same(
      s.components.map((c) => c.alive),
      [true, true, true, true, true],
    );
    // Without its admin kubeconfig nothing can ask the apiserver: running, not known ready.
    renameSync(info.kubeconfig, `${info.kubeconfig}.aside`);
    const blind = await status({ stateDir: S });
    renameSync(`${info.kubeconfig}.aside`, info.kubeconfig);
    t.same([blind.running, blind.ready], [true, false]);
    const text = await env({ cacheDir: slowCache, stateDir: S });
    const sh = spawnSync("bash", ["-c", `${text}\ncommand -v kubectl; echo "$KUBECONFIG"; kubectl get nodes -o name`], { encoding: "utf8" });
    t.equal(sh.stdout, `${info.kubectl}\n${info.kubeconfig}\nnode/${info.nodeName}\n`, sh.stderr);
  });

  t.test("user kubeconfigs: no rights, groups, refusals", async (t) => {
    const alice = await createUserKubeconfig("lc-alice", [], { stateDir: S });
    t.equal(alice, join(S, "users", "lc-alice.kubeconfig"));
    const denied = kubectl(info, ["get", "pods", "-n", "default"], { kubeconfig: alice });
    t.not(denied.code, 0);
    t.match(denied.stderr, /Forbidden.*User "lc-alice" cannot list resource "pods"/);
    const bob = await createUserKubeconfig("lc:bob", ["lc:team", "lc:other"], { stateDir: S });
    const who = kubectl(info, ["auth", "whoami", "-o", "json"], { kubeconfig: bob });
    t.equal(who.code, 0, who.stderr);
    const review = JSON.parse(who.stdout) as { status: { userInfo: { username: string; groups: string[] } } };
    t.equal(review.status.userInfo.username, "lc:bob");
    t.same(review.status.userInfo.groups.sort(), ["lc:other", "lc:team", "system:authenticated"]);
    t.match(kubectl(info, ["get", "secrets", "-A"], { kubeconfig: bob }).stderr, /Forbidden/);
    await userError(
      t,
      createUserKubeconfig("eve", ["system:masters"], { stateDir: S }),
      /refuses the group system:masters/,
      /^Use the admin kubeconfig instead\.$/,
    );
    await userError(t, createUserKubeconfig("eve/../x", [], { stateDir: S }), /invalid user or group name "eve\/\.\.\/x"/, /^Use at most 64/);
    await userError(
      t,
      createUserKubeconfig("eve", ["x".repeat(65)], { stateDir: S }),
      /^Local cluster: invalid user or group name "x{65}"\.$/,
      /^Use at most 64 letters, digits and : \. _ @ - only\.$/,
    );
  });

  t.test("recycleVolumes makes a Released volume Available again", async (t) => {
    t.same(await recycleVolumes({ stateDir: S }), [], "nothing released yet");
    const claim = {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "lc-claim", namespace: "default" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, storageClassName: info.storageClass },
    };
    const created = kubectl(info, ["apply", "-f", "-"], { input: JSON.stringify(claim) });
    t.equal(created.code, 0, created.stderr);
    const field = (args: string[]): string => kubectl(info, ["get", ...args]).stdout;
    await waitUntil("the claim Bound", () => field(["pvc", "lc-claim", "-n", "default", "-o", "jsonpath={.status.phase}"]) === "Bound");
    const pv = field(["pvc", "lc-claim", "-n", "default", "-o", "jsonpath={.spec.volumeName}"]);
    t.match(pv, /^local-pv-0[0-2]$/);
    const phase = (): string => field(["pv", pv, "-o", "jsonpath={.status.phase}"]);
    t.equal(kubectl(info, ["delete", "pvc", "lc-claim", "-n", "default"]).code, 0);
    await waitUntil("the volume Released", () => phase() === "Released");
    t.same(await recycleVolumes({ stateDir: S }), [pv]);
    await waitUntil("the volume Available", () => phase() === "Available");
    t.pass(`${pv} is Available again`);
  });

  t.test("a killed and a stopped component, then up with a port taken twice", async (t) => {
    const byName = (n: string) => info.components.find((c) => c.name === n)!;
    process.kill(byName("kwok").pid, "SIGSTOP"); // ignores SIGTERM until SIGKILL
    process.kill(byName("kube-scheduler").pid, "SIGKILL");
    await waitUntil("the scheduler dead", async () => (await status({ stateDir: S })).components[3]?.alive === false);
    const s = await status({ stateDir: S });
    t.equal(s.running, false);
    t.equal(s.ready, false);
    t.same(
      s.components.map((c) => [c.name, c.alive]),
      [
        ["etcd", true],
        ["kube-apiserver", true],
        ["kube-controller-manager", true],
        ["kube-scheduler", false],
        ["kwok", true],
      ],
    );
    await userError(t, env({ stateDir: S }), /is not running/, /cli\.ts up`$/);

    // The dead scheduler's port is taken before up (so up picks another), etcd's right after up picked
    // it (etcd fails to bind: up retries with new ports).
    const held: Server[] = [await holdPort(info.ports.scheduler)];
    const errors: Error[] = [];
    t.teardown(() => {
      for (const s of held) s.close();
    });
    const lines: string[] = [];
    const restart = up({
      stateDir: S,
      pvCount: 3,
      log: (l) => {
        lines.push(l);
        const m = /^starting etcd on 127\.0\.0\.1:(\d+)$/.exec(l);
        if (m && held.length === 1) held.push(listenOn(Number(m[1]), errors));
      },
    });
    // Meanwhile another up of the same state dir waits for the lock, then gives up; a third waits its turn.
    await waitUntil("the lock", () => existsSync(join(S, "state.lock.pid")));
    const waiter = up({ stateDir: S, log: quiet });
    await userError(
      t,
      up({ stateDir: S, timeoutMs: 600, log: quiet }),
      new RegExp(`^Local cluster: another process \\(pid ${process.pid}\\) holds .*\\.lock and did not release it within 600 ms\\.$`),
      new RegExp(
        `^wait for that process \\(another \`chroma-mod local up\`/\`down\` or a \`--local\` command\\) to finish, or stop it with \`kill ${process.pid}\`, then retry$`,
      ),
    );
    const again = await restart;
    t.equal(again.alreadyRunning, false);
    const turn = await waiter;
    t.same([turn.alreadyRunning, turn.server], [true, again.server], "the up that waited its turn found the cluster running");
    t.ok(
      lines.some((l) => /not running cleanly/.test(l)),
      "the leftovers were stopped",
    );
    t.ok(
      lines.some((l) => l === "kwok (pid " + byName("kwok").pid + ") ignored SIGTERM for 10 s; sending SIGKILL"),
      "kwok was SIGKILLed",
    );
    t.ok(lines.includes("a port was taken between picking and binding it; retrying with new ports"), lines.join("\n"));
    t.not(again.ports.scheduler, info.ports.scheduler);
    t.equal(held.length, 2);
    t.same(errors, [], "etcd's port was free when up picked it");
    const after = await status({ stateDir: S });
    t.equal(after.running, true);
    t.equal(after.ready, true);
    t.equal(kubectl(again, ["get", "nodes", "-o", "name"]).stdout, `node/${again.nodeName}\n`);
    for (const c of info.components) t.equal(spawnSync("kill", ["-0", String(c.pid)]).status, 1, `old ${c.name} is gone`);
  });

  t.test("down, then down --purge", async (t) => {
    const running = await status({ stateDir: S });
    await down({ stateDir: S, log: quiet });
    const s = await status({ stateDir: S });
    t.same([s.running, s.components, s.server], [false, [], null]);
    // Gone from /proc's point of view (isAlive) when down returns; reaped by this process (their parent) just after.
    for (const c of running.components) {
      await waitUntil(`${c.name} reaped`, () => spawnSync("kill", ["-0", String(c.pid)]).status === 1, 5000);
      t.pass(`${c.name} stopped`);
    }
    await userError(t, recycleVolumes({ stateDir: S }), /is not running/, /cli\.ts up`$/);
    const stoppedAt = JSON.parse(readFileSync(join(S, "state.json"), "utf8")).stoppedAt as string;
    await down({ stateDir: S });
    t.equal(JSON.parse(readFileSync(join(S, "state.json"), "utf8")).stoppedAt, stoppedAt, "a second down changes nothing");
    await down({ stateDir: S, purge: true });
    t.notOk(existsSync(S), "purged");
  });
});
