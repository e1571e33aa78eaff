/**
 * localcluster/'s binaries, against real processes (the other parts: the test/e2e/localcluster-*.test.ts beside
 * this one): the cache and state paths, ensureBinaries (up to date, missing with build: false, build failing, a
 * build restoring kwok's stage files), and the errors when Go is missing or too old or bash is missing, also
 * through the CLI (exit 1, never an internal error). These change PATH, so they run in a process of their own:
 * the main cluster's start (test/e2e/localcluster-main.test.ts) spawns with PATH as it is.
 */
import t from "tap";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { defaultCacheDir, ensureBinaries, localClusterPaths, pinnedK8sVersion, up } from "../../localcluster/cluster.ts";
import { cli } from "../fixtures/cli.ts";
import { cleanUp, fakeCache, PATH_WITHOUT_GO, quiet, real, tmp, userError, withEnv } from "./fixtures/localcluster.ts";

t.teardown(() => cleanUp());

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
