/**
 * Whether a component process is alive (localcluster/process.ts `isAlive`), down to the moment /proc shows no
 * arguments: in the middle of an exec (`env` becoming the component; a start once took etcd for dead there) it is
 * alive, as a zombie it is gone. A process that blanked its own arguments (perl's `$0 = ""`) stands in for the exec.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import t from "tap";
import { isAlive } from "../../localcluster/process.ts";

t.test("an empty cmdline: alive when its executable is the component's", async (t) => {
  const perl = spawn("perl", ["-e", '$0 = ""; sleep 30'], { stdio: "ignore" });
  t.teardown(() => perl.kill("SIGKILL"));
  const pid = perl.pid!;
  while (readFileSync(`/proc/${pid}/cmdline`, "utf8") !== "\0") await new Promise((r) => setTimeout(r, 20));
  t.ok(isAlive({ pid, bin: "/usr/bin/perl" }), "its executable is the component's");
  t.notOk(isAlive({ pid, bin: "/usr/bin/sleep" }), "another program's");
});

t.test("an empty cmdline of a zombie (exited, not yet reaped by its parent): gone", async (t) => {
  const holder = spawn("python3", ["-c", "import os,time\np=os.fork()\nif p==0: os._exit(0)\nprint(p, flush=True)\ntime.sleep(30)"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  t.teardown(() => holder.kill("SIGKILL"));
  const pid = Number(await new Promise<string>((resolve) => holder.stdout.once("data", (d: Buffer) => resolve(d.toString()))));
  while (!/ Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"))) await new Promise((r) => setTimeout(r, 20));
  t.equal(readFileSync(`/proc/${pid}/cmdline`, "utf8"), "", "no arguments");
  t.notOk(isAlive({ pid, bin: "/usr/bin/python3" }));
});
