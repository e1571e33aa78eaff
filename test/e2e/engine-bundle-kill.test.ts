/**
 * Kill test: `apply` of a bundle is killed with SIGKILL at seeded random points while the bundle alternates between
 * variants (instances added and removed; auth, ingress and persistence on and off), rendered by the real Chroma
 * module. After each kill, a re-apply converges to exactly the objects of the bundle: nothing of ours is left that
 * the bundle does not hold (except data kept on purpose), no PersistentVolumeClaim is lost, and the next apply is a
 * no-op. KILL_SEED=<n> replays a run; KILL_SEED=random picks a seed (printed either way).
 */
import t from "tap";
import { spawn } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { apply } from "../../engine/apply/index.ts";
import { decodeInventory } from "../../engine/apply/inventory.ts";
import { evaluate } from "../../engine/evaluate.ts";
import type { KubeObject, RenderedInstance } from "../../core/types.ts";
import { chromaModule } from "../../module/index.ts";
import { setup } from "./fixtures/helpers.ts";

/**
 * No coverage from the child: tsx transpiles differently from tap, and merged ranges would be garbage. tap re-adds
 * its settings to a child's environment object, so env(1) takes them out (as test/fixtures/cli.ts does; env execs
 * node, so the child's pid is node's and SIGKILL reaches it).
 */
const noCoverage = ["-u", "NODE_V8_COVERAGE", "-u", "NODE_OPTIONS"];

const seedText = process.env["KILL_SEED"] ?? "20261202";
const seed = seedText === "random" ? randomInt(2 ** 31) : Number(seedText);
t.comment(`kill test seed: ${seed} (replay with KILL_SEED=${seed})`);

/** mulberry32: a small seeded PRNG. */
function prng(s: number): () => number {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const rng = prng(seed);
const coin = () => rng() < 0.5;

const e = await setup("e2e-bkill");
const tag = randomBytes(3).toString("hex");
const nsA = `bkill-a-${tag}`;
const nsB = `bkill-b-${tag}`;
const bundleName = `kill-${tag}`;
const dir = mkdtempSync(join(tmpdir(), "e2e-bkill-"));
t.teardown(() => {
  for (const ns of [nsA, nsB]) e.kubectl(["delete", "namespace", ns, "--wait=false"]);
  e.client.close();
});

const homes: Record<string, string> = { alpha: nsA, beta: nsA, gamma: nsB };

/** A variant of the bundle: a random non-empty subset of the instances, each with features on or off. */
function variant(): { instances: RenderedInstance[]; summary: string } {
  const names = Object.keys(homes).filter(() => rng() < 0.7);
  if (names.length === 0) names.push("alpha");
  const instances: Record<string, unknown> = {};
  const summary: string[] = [];
  for (const name of names) {
    const auth = coin();
    const ingress = coin();
    const persistent = coin();
    summary.push(`${name}[${[auth && "auth", ingress && "ingress", persistent && "pvc"].filter(Boolean).join(",")}]`);
    instances[name] = {
      namespace: homes[name],
      createNamespace: true,
      values: {
        chromadb: { auth: { enabled: auth }, isPersistent: persistent, dataVolumeSize: "1Gi" },
        ingress: ingress ? { enabled: true, hosts: [{ host: `${name}.example.test` }] } : { enabled: false },
      },
    };
  }
  const rendered = evaluate(chromaModule, { name: bundleName, instances }, { file: "kill.config.ts" }).map(({ values: _v, ...inst }) => inst);
  return { instances: rendered, summary: summary.join(" ") };
}

const KINDS: Array<[string, string]> = [
  ["v1", "ConfigMap"],
  ["v1", "Secret"],
  ["v1", "ServiceAccount"],
  ["v1", "Service"],
  ["apps/v1", "StatefulSet"],
  ["networking.k8s.io/v1", "Ingress"],
  ["networking.k8s.io/v1", "NetworkPolicy"],
];
const key = (o: { kind: string; metadata: { name: string; namespace?: string | undefined } }, ns?: string) =>
  `${o.kind}/${o.metadata.namespace ?? ns}/${o.metadata.name}`;

/** Every object carrying our managed-by label in the test namespaces. */
async function ours(): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const ns of [nsA, nsB]) {
    for (const [apiVersion, kind] of KINDS)
      out.push(...(await e.client.list(apiVersion, kind, { namespace: ns, labelSelector: "app.kubernetes.io/managed-by=chroma-mod" })));
  }
  return out;
}

const pvcs = new Map<string, string>(); // key → uid, every claim ever seen
async function claims(): Promise<Map<string, string>> {
  const now = new Map<string, string>();
  for (const ns of [nsA, nsB]) for (const p of await e.client.list("v1", "PersistentVolumeClaim", { namespace: ns })) now.set(key(p), p.metadata.uid as string);
  return now;
}

/** Runs the apply in a child and SIGKILLs it at engine event `at` (or lets it finish when it has fewer events). */
async function killedApply(instances: RenderedInstance[], at: number): Promise<"killed" | "finished"> {
  const file = join(dir, `round-${at}-${randomBytes(2).toString("hex")}.json`);
  writeFileSync(file, JSON.stringify({ instances, bundle: { name: bundleName, complete: true } }));
  const child = spawn(
    "env",
    [
      ...noCoverage,
      process.execPath,
      "--import",
      "tsx",
      fileURLToPath(new URL("fixtures/bundle-apply-child.ts", import.meta.url)),
      e.userKubeconfig,
      file,
      String(at),
    ],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  let err = "";
  child.stderr.on("data", (c) => (err += c));
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) => child.on("exit", (code, signal) => r({ code, signal })));
  const frozen = await new Promise<boolean>((resolve) => {
    child.stdout.on("data", (c) => {
      out += c;
      if (out.includes("FROZEN")) resolve(true);
    });
    void exited.then(() => resolve(false));
  });
  if (!frozen) {
    const { code } = await exited;
    if (code !== 0 || !out.includes("DONE")) throw new Error(`the child apply failed (exit ${code}): ${err}`);
    return "finished";
  }
  child.kill("SIGKILL");
  const { signal } = await exited;
  if (signal !== "SIGKILL") throw new Error(`child not killed: ${signal}`);
  return "killed";
}

t.test("SIGKILL at random points across bundle variants: every re-apply converges", async (t) => {
  const rounds = 8;
  let killed = 0;
  for (let round = 1; round <= rounds; round++) {
    const { instances, summary } = variant();
    const at = 1 + Math.floor(rng() * 16); // an apply of this bundle reports about 3 to 40 events
    const outcome = await killedApply(instances, at);
    if (outcome === "killed") killed++;
    t.comment(`round ${round}: ${summary}; ${outcome} at event ${at}`);

    const results = await apply(instances, { client: e.client, bundle: { name: bundleName, complete: true }, force: true });
    t.ok(
      results.every((r) => r.instance && r.changes),
      `round ${round}: the re-apply succeeds`,
    );

    // Exactly the objects of the bundle: every one exists, and nothing else of ours but data kept on purpose.
    const expected = new Set<string>();
    for (const inst of instances) {
      for (const o of inst.objects) expected.add(key(o, inst.namespace));
      for (const g of inst.generatedSecrets) expected.add(`Secret/${g.metadata.namespace}/${g.metadata.name}`);
      expected.add(`Secret/${inst.namespace}/chroma-mod.${inst.name}`);
    }
    const live = await ours();
    const liveKeys = new Set(live.map((o) => key(o)));
    t.same(
      [...expected].filter((k) => !liveKeys.has(k)),
      [],
      `round ${round}: every object of the bundle exists`,
    );
    const stray = live
      .filter((o) => !expected.has(key(o)))
      .filter((o) => {
        if (o.metadata.annotations?.["chroma-mod.io/keep"] === "true") return false; // data kept on purpose
        const inv = decodeInventory(o);
        if (!inv || o.metadata.labels?.["chroma-mod.io/bundle"]) return true; // an inventory still in the bundle: it should be gone
        return !inv.entries.every((entry) => entry.generated || entry.id.endsWith("_PersistentVolumeClaim")); // what a removal keeps
      });
    t.same(
      stray.map((o) => key(o)),
      [],
      `round ${round}: nothing orphaned`,
    );

    // No claim lost, ever.
    const now = await claims();
    for (const [k, uid] of pvcs) t.equal(now.get(k), uid, `round ${round}: ${k} kept`);
    for (const [k, uid] of now) pvcs.set(k, uid);

    const again = await apply(instances, { client: e.client, bundle: { name: bundleName, complete: true }, force: true });
    t.same(
      again
        .filter((r) => r.changed)
        .map(
          (r) =>
            `${r.instance.name}: ${r.changes
              .filter((c) => c.action !== "unchanged")
              .map((c) => `${c.action} ${c.object}`)
              .join(", ")}`,
        ),
      [],
      `round ${round}: then a no-op`,
    );
  }
  t.comment(`${killed} of ${rounds} applies killed mid-way; ${pvcs.size} claims kept throughout`);
  t.ok(killed > 0, "at least one apply was killed mid-way");
});
