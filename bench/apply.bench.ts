/**
 * Benchmark (not a test): chroma-mod vs kubectl on the same local control plane, in one run.
 * For bundles of 1, 10 and 50 instances: first apply, no-op apply and diff, by
 *   - chroma-mod (`apply --no-wait`, `diff`), and
 *   - kubectl apply --server-side of the very manifests chroma-mod renders (`build --generate-secrets`), plain and
 *     with --prune --applyset (kubectl's own inventory), and `kubectl diff --server-side`.
 * Prints wall time, requests the tool sent (counted in the apiserver's audit log by user agent) and peak RSS
 * (GNU time), and the ratios chroma-mod / kubectl. Usage: npm run bench [-- --sizes 1,10,50]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { up } from "../localcluster/cluster.ts";
import { packageRoot } from "../engine/package-root.ts";

const root = packageRoot(import.meta.url);
const sizesArg = process.argv.indexOf("--sizes");
const sizes = sizesArg > 0 ? process.argv[sizesArg + 1]!.split(",").map(Number) : [1, 10, 50];

interface Measure {
  ms: number;
  requests: number;
  rssMb: number;
  code: number;
}

const cluster = await up({ log: () => {} });
const env = { ...process.env, KUBECONFIG: cluster.kubeconfig, KUBECTL_APPLYSET: "true" };

function countRequests(fromByte: number, agent: RegExp): number {
  const text = readFileSync(cluster.auditLog).subarray(fromByte).toString("utf8");
  let n = 0;
  // Complete lines only: the apiserver may be writing the last one.
  for (const line of text.split("\n").slice(0, -1)) {
    const event = JSON.parse(line) as { userAgent?: string; stage?: string };
    if (event.stage === "ResponseComplete" && agent.test(event.userAgent ?? "")) n++;
  }
  return n;
}

function measure(command: string[], agent: RegExp, input?: string): Measure {
  const before = statSync(cluster.auditLog).size;
  const started = process.hrtime.bigint();
  const run = spawnSync("/usr/bin/time", ["-f", "%M", ...command], { cwd: root, env, encoding: "utf8", input, maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const rssKb = Number(run.stderr.trim().split("\n").pop());
  if (run.status !== 0 && run.status !== 1) throw new Error(`${command.join(" ")} failed (${run.status}):\n${run.stderr}`);
  spawnSync("sleep", ["0.5"]); // let the audit backend flush
  return { ms, requests: countRequests(before, agent), rssMb: rssKb / 1024, code: run.status ?? -1 };
}

function bundleFile(size: number, namespace: string): string {
  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-bench-"));
  const file = join(dir, "bench.config.ts");
  const instances = Array.from({ length: size }, (_, i) => `    "i${i}": { namespace: "${namespace}", values: { chromadb: { isPersistent: false } } },`).join(
    "\n",
  );
  writeFileSync(file, `import { defineBundle } from "chroma-mod";\nexport default defineBundle({ instances: {\n${instances}\n  } });\n`);
  return file;
}

const chromaMod = (args: string[]) => [process.execPath, join(root, "bin/chroma-mod.js"), ...args];
const kubectl = (args: string[]) => [cluster.kubectl, ...args];
const rows: string[][] = [];

for (const size of sizes) {
  // chroma-mod
  const nsA = `bench-cm-${size}-${Date.now()}`;
  const nsB = `bench-kc-${size}-${Date.now()}`;
  const nsC = `bench-as-${size}-${Date.now()}`;
  for (const ns of [nsA, nsB, nsC]) spawnSync(cluster.kubectl, ["create", "namespace", ns], { env });
  const cmBundle = bundleFile(size, nsA);
  const cm = [
    measure(chromaMod(["apply", cmBundle, "--no-wait"]), /^chroma-mod/),
    measure(chromaMod(["apply", cmBundle, "--no-wait"]), /^chroma-mod/),
    measure(chromaMod(["diff", cmBundle]), /^chroma-mod/),
  ];
  // kubectl on the same rendered manifests (credentials generated once, as apply does)
  const manifests = (ns: string) =>
    spawnSync(process.execPath, [join(root, "bin/chroma-mod.js"), "build", bundleFile(size, ns), "--generate-secrets"], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 1 << 28,
    }).stdout;
  const plainYaml = manifests(nsB);
  const plainFile = join(mkdtempSync(join(tmpdir(), "chroma-mod-bench-")), "m.yaml");
  writeFileSync(plainFile, plainYaml);
  const kc = [
    measure(kubectl(["apply", "--server-side", "--field-manager=bench", "-f", plainFile]), /^kubectl/),
    measure(kubectl(["apply", "--server-side", "--field-manager=bench", "-f", plainFile]), /^kubectl/),
    measure(kubectl(["diff", "--server-side", "--field-manager=bench", "-f", plainFile]), /^kubectl/),
  ];
  const setFile = join(mkdtempSync(join(tmpdir(), "chroma-mod-bench-")), "m.yaml");
  writeFileSync(setFile, manifests(nsC));
  const applyset = ["apply", "--server-side", "--field-manager=bench", "-n", nsC, "--prune", `--applyset=bench-${size}`, "-f", setFile];
  const as = [
    measure(kubectl(applyset), /^kubectl/),
    measure(kubectl(applyset), /^kubectl/),
    measure(kubectl(["diff", "--server-side", "--field-manager=bench", "-f", setFile]), /^kubectl/),
  ];
  const phases = ["first apply", "no-op apply", "diff"];
  phases.forEach((phase, i) => {
    const a = cm[i]!;
    const b = kc[i]!;
    const c = as[i]!;
    rows.push([
      String(size),
      phase,
      `${a.ms.toFixed(0)} ms / ${a.requests} req / ${a.rssMb.toFixed(0)} MB`,
      `${b.ms.toFixed(0)} ms / ${b.requests} req / ${b.rssMb.toFixed(0)} MB`,
      `${c.ms.toFixed(0)} ms / ${c.requests} req / ${c.rssMb.toFixed(0)} MB`,
      `${(a.ms / b.ms).toFixed(2)}× / ${(a.requests / Math.max(1, b.requests)).toFixed(2)}× / ${(a.rssMb / b.rssMb).toFixed(2)}×`,
      `${(a.ms / c.ms).toFixed(2)}×`,
    ]);
  });
  for (const ns of [nsA, nsB, nsC]) spawnSync(cluster.kubectl, ["delete", "namespace", ns, "--wait=false"], { env });
}

const header = [
  "instances",
  "phase",
  "chroma-mod (time / requests / peak RSS)",
  "kubectl --server-side",
  "kubectl --prune --applyset",
  "chroma-mod ÷ kubectl (time / req / RSS)",
  "chroma-mod ÷ applyset (time)",
];
console.log(`Kubernetes ${cluster.k8sVersion} local control plane, ${new Date().toISOString()}\n`);
console.log(`| ${header.join(" | ")} |\n|${header.map(() => "---").join("|")}|`);
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
