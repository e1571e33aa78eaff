/** A killed (or aborted) apply leaves no orphans: the superset inventory lets the next apply converge. */
import t from "tap";
import { spawn } from "node:child_process";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { apply } from "../../engine/apply/index.ts";
import { ownerSelector } from "../../engine/apply/labels.ts";
import { configMap, createNamespace, deployment, instance, liveObject, setup } from "./fixtures/helpers.ts";

/**
 * No coverage from the child: tsx transpiles differently from tap, and merged ranges would be garbage. tap re-adds
 * its settings to a child's environment object, so env(1) takes them out (as test/fixtures/cli.ts does; env execs
 * node, so the child's pid is node's and SIGKILL reaches it).
 */
const noCoverage = ["-u", "NODE_V8_COVERAGE", "-u", "NODE_OPTIONS"];

const e = await setup("e2e-kill");
const ns = createNamespace(e, "kill");
const dir = mkdtempSync(join(tmpdir(), "e2e-kill-"));
t.teardown(() => {
  e.kubectl(["delete", "namespace", ns, "--wait=false"]);
  e.client.close();
});

const owned = async (name: string) => {
  const sel = ownerSelector({ name, namespace: ns });
  const cms = await e.client.list("v1", "ConfigMap", { namespace: ns, labelSelector: sel });
  const deps = await e.client.list("apps/v1", "Deployment", { labelSelector: sel }); // all namespaces
  return [...cms, ...deps].map((o) => `${o.kind}/${o.metadata.name}`).sort();
};
const inventoryIds = (name: string) => {
  const inv = liveObject(e, ["-n", ns, "secret", `chroma-mod.${name}`]);
  return (JSON.parse(Buffer.from((inv!.data as Record<string, string>).inventory as string, "base64").toString()).entries as Array<{ id: string }>)
    .map((x) => x.id.split("_")[1])
    .sort();
};

t.test("SIGKILL mid-apply, then the next apply converges with no orphans", async (t) => {
  await apply([instance("k", ns, [configMap("a1", { v: "1" }), configMap("a2", { v: "1" }), deployment("d1")])], { client: e.client });
  const next = [instance("k", ns, [configMap("a1", { v: "1" }), configMap("b1", { v: "1" }), deployment("d2")])];
  const file = join(dir, "next.json");
  writeFileSync(file, JSON.stringify(next));
  const child = spawn(
    "env",
    [...noCoverage, process.execPath, "--import", "tsx", fileURLToPath(new URL("fixtures/apply-child.ts", import.meta.url)), e.userKubeconfig, file, "b1"],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  let err = "";
  child.stderr.on("data", (c) => (err += c));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (c) => {
      out += c;
      if (out.includes("FROZEN")) resolve();
    });
    child.on("exit", () => reject(new Error(`child exited early: ${out} ${err}`)));
  });
  child.removeAllListeners("exit");
  const exited = new Promise((r) => child.on("exit", (_code, signal) => r(signal)));
  child.kill("SIGKILL");
  t.equal(await exited, "SIGKILL");
  t.notMatch(out, /DONE/);
  // Killed after the superset inventory was written and b1 applied, before d2, prune and the final inventory.
  t.same(inventoryIds("k"), ["a1", "a2", "b1", "d1", "d2"]);
  t.same(await owned("k"), ["ConfigMap/a1", "ConfigMap/a2", "ConfigMap/b1", "Deployment/d1"]);
  // The next apply (with yet another set) prunes everything the killed run and the run before left behind.
  const [r] = await apply([instance("k", ns, [configMap("a1", { v: "1" })])], { client: e.client });
  t.same(
    r!.changes.map((c) => `${c.action} ${c.object.split("/").pop()}`),
    ["unchanged a1", "pruned a2", "pruned b1", "pruned d1", "pruned d2"],
  );
  t.same(await owned("k"), ["ConfigMap/a1"]);
  t.same(inventoryIds("k"), ["a1"]);
});

t.test("an aborted apply (Ctrl-C) stops between requests; the next apply converges", async (t) => {
  const ac = new AbortController();
  const err = await apply([instance("ab", ns, [configMap("x1", {}), configMap("x2", {}), deployment("x3")])], {
    client: e.client,
    concurrency: 1,
    signal: ac.signal,
    onEvent: (ev) => {
      if (ev.action === "created") ac.abort();
    },
  }).catch((x: unknown) => x);
  t.equal((err as Error).name, "AbortError");
  t.same(await owned("ab"), ["ConfigMap/x1"]);
  const [r] = await apply([instance("ab", ns, [configMap("x2", {})])], { client: e.client });
  t.same(
    r!.changes.map((c) => `${c.action} ${c.object.split("/").pop()}`),
    ["pruned x1", "created x2", "pruned x3"],
  );
  t.same(await owned("ab"), ["ConfigMap/x2"]);
});
