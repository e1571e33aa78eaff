/**
 * The local cluster state dir's lock (see test/e2e/localcluster-binaries.test.ts for the other parts): a live
 * holder's lock is never taken (the holder is a child process, test/e2e/fixtures/lock-holder.ts), a killed
 * holder's is once stale, a fresh one without a pid is named as such, a state dir removed while waiting is an
 * error, and a holder whose lock is removed under it says so.
 */
import t from "tap";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { down, localClusterPaths, up } from "../../localcluster/cluster.ts";
import { LOCK_STALE_MS, LOCK_UPDATE_MS, withLock } from "../../localcluster/state.ts";
import { alive, cleanUp, holdLockInChild, quiet, tmp, userError, waitUntil } from "./fixtures/localcluster.ts";

t.teardown(() => cleanUp());

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
