/**
 * Benchmark (not a test): chroma-mod side by side with the tools users compare it with, on this machine, in one run.
 *
 *   npm run bench [-- --sizes 1,10,50,200] [--runs 3] [--build-runs 10] [--no-cluster] [--no-build]
 *
 * 1. build, of the CLI as npm installs it (dist/cli, built first): the prod bundle against `helm template` of the
 *    Chroma Helm chart (../shared/fixtures/chromadb-chart-0.2.2, helm built from its Go module into the tool cache)
 *    with the same values, and 50 and 200 instances against the floor, a bare `node -e ''`. Paired runs.
 * 2. On the local control plane, for bundles of each size (persistence off, no wait): first apply, no-op apply and
 *    diff, against `kubectl apply --server-side` (plain, and with `--prune --applyset`) and `kubectl diff
 *    --server-side` of the very manifests chroma-mod renders. Wall time (median, min–max of the runs), requests and
 *    writes (the API server's audit log, by user agent), peak RSS; and the ratios of the medians.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../engine/package-root.ts";
import { up } from "../localcluster/cluster.ts";
import { fmtMs, ratio, run, type Runner, type Sample, spread } from "./measure.ts";

const root = packageRoot(import.meta.url);
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const sizes = arg("sizes", "1,10,50,200").split(",").map(Number);
const runs = Number(arg("runs", "3"));
const buildRuns = Number(arg("build-runs", "10"));
const withCluster = !process.argv.includes("--no-cluster");
const withBuild = !process.argv.includes("--no-build");
const CHART = join(root, "..", "shared", "fixtures", "chromadb-chart-0.2.2");

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/** helm, built once from its Go module (localcluster/go/helm, the version npm test's set-up builds) into the tool cache. */
function helm(): string {
  const build = join(root, "localcluster", "build.sh");
  const r = spawnSync("bash", [build, "--with-helm"], { stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) throw new Error(`bash ${build} --with-helm failed (${r.status})`);
  return join(spawnSync("bash", [build, "--print-bin-dir"], { encoding: "utf8" }).stdout.trim(), "helm");
}

function bundleFile(size: number, namespace: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "chroma-mod-bench-")), "bench.config.ts");
  // On kwok's fake node (tolerate its taint, select it): the benchmark measures apply, not 200 running Chroma servers,
  // which the local node would otherwise start.
  const fake = `nodeSelector: { type: "kwok" }, tolerations: [{ key: "chroma-mod.io/fake-node", operator: "Exists", effect: "NoSchedule" }]`;
  const instances = Array.from({ length: size }, (_, i) => `    i${i}: { namespace: "${namespace}", values: { chromadb: { isPersistent: false }, ${fake} } },`);
  writeFileSync(file, `import { defineBundle } from "chroma-mod";\nexport default defineBundle({\n  instances: {\n${instances.join("\n")}\n  },\n});\n`);
  return file;
}

/** The chart values that render what bundles/prod.config.ts renders. */
function prodChartValues(): string {
  const file = join(mkdtempSync(join(tmpdir(), "chroma-mod-bench-")), "values.json");
  const values = {
    image: { tag: "1.5.9" },
    commonLabels: { team: "search" },
    chromadb: {
      auth: { enabled: true, type: "token", token: { headerType: "X-Chroma-Token" } },
      data: { volumeSize: "50Gi", storageClass: "fast-ssd" },
      corsAllowOrigins: ["https://app.example.com"],
      maxPayloadSizeBytes: "104857600",
      sqliteDb: { migrationMode: "validate" },
      telemetry: { enabled: true, endpoint: "http://otel-collector.monitoring:4317" },
    },
    resources: { requests: { cpu: "1", memory: "4Gi" }, limits: { memory: "8Gi" } },
    nodeSelector: { "kubernetes.io/os": "linux" },
    tolerations: [{ key: "dedicated", operator: "Equal", value: "search", effect: "NoSchedule" }],
    ingress: {
      enabled: true,
      className: "nginx",
      annotations: { "cert-manager.io/cluster-issuer": "letsencrypt" },
      hosts: [{ host: "chroma.example.com", paths: [{ path: "/", pathType: "Prefix" }] }],
      tls: [{ secretName: "chroma-tls", hosts: ["chroma.example.com"] }],
    },
  };
  writeFileSync(file, JSON.stringify(values));
  return file;
}

const ms = (samples: readonly Sample[]) => spread(samples.map((s) => s.ms));
const rss = (samples: readonly Sample[]) => spread(samples.map((s) => s.rssMb)).median;

// The CLI as npm ships it (prepack builds the same files).
log("building the CLI (dist/cli)");
rmSync(join(root, "dist", "cli"), { recursive: true, force: true });
const built = spawnSync(process.execPath, ["-e", "import('./scripts/build.mjs').then((m) => m.buildCli('dist/cli'))"], { cwd: root, stdio: "inherit" });
if (built.status !== 0) throw new Error("building dist/cli failed");
const cli = (args: string[]) => [process.execPath, join(root, "dist", "cli", "main.js"), ...args];
const local: Runner = { cwd: root, env: { ...process.env } };

const buildRows: string[][] = [];
if (withBuild) {
  const helmBin = helm();
  const values = prodChartValues();
  const prod = join(root, "bundles", "prod.config.ts");
  const helmTemplate = [helmBin, "template", "vectors", CHART, "--namespace", "search", "-f", values];
  /** One row: `command` against `peer`, paired runs (a fresh command each run when it is a function). */
  const row = (work: string, command: () => string[], peer: readonly string[], peerName: string, goal: string, n = buildRuns) => {
    log(`build: ${work}, ${n} paired runs`);
    run(local, command());
    run(local, peer);
    const a: Sample[] = [];
    const b: Sample[] = [];
    for (let i = 0; i < n; i++) {
      a.push(run(local, command()));
      b.push(run(local, peer));
    }
    buildRows.push([work, fmtMs(ms(a)), `${peerName}: ${fmtMs(ms(b))}`, ratio(ms(a).median, ms(b).median), goal]);
  };
  row("`build` of the prod bundle", () => cli(["build", prod]), helmTemplate, "`helm template`", "≤ 1.50×");
  row("the floor of any Node.js CLI: `node -e ''`", () => [process.execPath, "-e", ""], helmTemplate, "`helm template`", "—");
  row(
    "`build` of the prod bundle, from a git checkout",
    () => [process.execPath, join(root, "bin", "chroma-mod.js"), "build", prod],
    helmTemplate,
    "`helm template`",
    "—",
  );
  // A bundle just edited is compiled again: a fresh compile cache each run.
  const cold = () => ["env", `CHROMA_MOD_CACHE=${mkdtempSync(join(tmpdir(), "chroma-mod-bench-cold-"))}`, ...cli(["build", prod])];
  row("`build` of the prod bundle just edited (compiled again)", cold, helmTemplate, "`helm template`", "—", Math.min(buildRuns, 5));
  const floor = [process.execPath, "-e", ""];
  for (const size of [50, 200]) {
    const file = bundleFile(size, "bench");
    row(`\`build\` of ${size} instances`, () => cli(["build", file, "--generate-secrets"]), floor, "`node -e ''`", size === 50 ? "≤ 3×" : "—");
  }
}

const clusterRows: string[][] = [];
const perInstance = new Map<number, number>();
let k8sVersion = "";
if (withCluster) {
  const cluster = await up({ log: () => {} });
  k8sVersion = cluster.k8sVersion;
  const runner: Runner = { cwd: root, env: { ...process.env, KUBECONFIG: cluster.kubeconfig, KUBECTL_APPLYSET: "true" }, auditLog: cluster.auditLog };
  const kubectl = (args: string[]) => [cluster.kubectl, ...args];
  spawnSync(cluster.kubectl, ["api-resources"], { env: runner.env, stdio: "ignore" }); // kubectl's discovery cache, warm as a user's
  const CM = /^chroma-mod/;
  const KC = /^kubectl/;
  const manifests = (size: number, ns: string) => {
    const r = spawnSync(process.execPath, cli(["build", bundleFile(size, ns), "--generate-secrets"]).slice(1), {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 1 << 28,
    });
    const file = join(mkdtempSync(join(tmpdir(), "chroma-mod-bench-")), "manifests.yaml");
    writeFileSync(file, r.stdout);
    return file;
  };
  for (const size of sizes) {
    const phases = ["first apply", "no-op apply", "diff"] as const;
    const samples = { cm: phases.map(() => [] as Sample[]), kc: phases.map(() => [] as Sample[]), as: phases.map(() => [] as Sample[]) };
    for (let rep = 0; rep < runs; rep++) {
      log(`${size} instances, run ${rep + 1}/${runs}`);
      const stamp = `${size}-${rep}-${Date.now().toString(36)}`;
      const [nsA, nsB, nsC] = ["cm", "kc", "as"].map((t) => `bench-${t}-${stamp}`) as [string, string, string];
      for (const ns of [nsA, nsB, nsC]) spawnSync(cluster.kubectl, ["create", "namespace", ns], { env: runner.env, stdio: "ignore" });
      const bundle = bundleFile(size, nsA);
      const plain = manifests(size, nsB);
      const set = manifests(size, nsC);
      const applyset = ["apply", "--server-side", "--field-manager=bench", "-n", nsC, "--prune", `--applyset=bench-${stamp}`, "-f", set];
      const steps: Array<[keyof typeof samples, number, string[], RegExp, number[]]> = [
        ["cm", 0, cli(["apply", bundle, "--no-wait"]), CM, [0]],
        ["kc", 0, kubectl(["apply", "--server-side", "--field-manager=bench", "-f", plain]), KC, [0]],
        ["as", 0, kubectl(applyset), KC, [0]],
        ["cm", 1, cli(["apply", bundle, "--no-wait"]), CM, [0]],
        ["kc", 1, kubectl(["apply", "--server-side", "--field-manager=bench", "-f", plain]), KC, [0]],
        ["as", 1, kubectl(applyset), KC, [0]],
        ["cm", 2, cli(["diff", bundle]), CM, [0]],
        ["kc", 2, kubectl(["diff", "--server-side", "--field-manager=bench", "-f", plain]), KC, [0]],
        // kubectl diff has no --applyset: it shows the part-of labels going (exit 1).
        ["as", 2, kubectl(["diff", "--server-side", "--field-manager=bench", "-f", set]), KC, [0, 1]],
      ];
      for (const [tool, phase, command, agent, ok] of steps) samples[tool][phase]!.push(run(runner, command, agent, ok));
      // Gone before the next run (not timed): a namespace being emptied keeps the API server and controllers busy.
      spawnSync(cluster.kubectl, ["delete", "namespace", nsA, nsB, nsC, "--timeout=300s"], { env: runner.env, stdio: "ignore" });
    }
    phases.forEach((phase, i) => {
      const [a, b, c] = [samples.cm[i]!, samples.kc[i]!, samples.as[i]!];
      // Requests and writes: the median of the runs (each run of a phase sends the same).
      const count = (s: Sample[], k: "requests" | "writes") => spread(s.map((x) => x[k])).median;
      const cell = (s: Sample[]) => `${fmtMs(ms(s))} · ${count(s, "requests")} req · ${count(s, "writes")} writes · ${rss(s).toFixed(0)} MB`;
      const req = (x: Sample[], y: Sample[]) => ratio(count(x, "requests"), Math.max(1, count(y, "requests")));
      clusterRows.push([
        String(size),
        phase,
        cell(a),
        cell(b),
        cell(c),
        `${ratio(ms(a).median, ms(b).median)} · ${req(a, b)} · ${ratio(rss(a), rss(b))}`,
        `${ratio(ms(a).median, ms(c).median)} · ${req(a, c)}`,
      ]);
      if (phase === "first apply") perInstance.set(size, ms(a).median / size);
    });
  }
}

const table = (header: string[], rows: string[][]) =>
  [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
console.log(`chroma-mod benchmark, ${new Date().toISOString()}, Node ${process.version}${k8sVersion ? `, Kubernetes ${k8sVersion} local control plane` : ""}`);
console.log(`median (min–max) of ${buildRuns} paired runs for build, ${runs} for the cluster; ratios are of the medians\n`);
if (withBuild) console.log(table(["work", "chroma-mod", "peer", "ratio", "goal"], buildRows));
if (withCluster) {
  console.log();
  console.log(
    table(
      [
        "instances",
        "phase",
        "chroma-mod (time · requests · writes · peak RSS)",
        "kubectl --server-side",
        "kubectl --prune --applyset",
        "÷ kubectl (time · req · RSS)",
        "÷ applyset (time · req)",
      ],
      clusterRows,
    ),
  );
  console.log(`\nfirst apply, time per instance: ${[...perInstance].map(([size, t]) => `${size}: ${t.toFixed(1)} ms`).join(", ")}`);
}
