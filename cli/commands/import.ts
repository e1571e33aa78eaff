import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { parse } from "yaml";
import { UserError } from "../../engine/errors.ts";
import { importHelmValues, type ImportNote } from "../../module/helm-import.ts";
import { isSupportedRelease } from "../../schemas/releases.ts";
import { loadInstances } from "../app.ts";
import { clusterOptions, connect, type ClusterFlags } from "../cluster.ts";
import { requireArgument, type Command } from "../command.ts";

type Json = Parameters<typeof importHelmValues>[0][string];

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A value as TypeScript source: keys unquoted where they can be, two-space indent. */
function toTs(value: unknown, indent = ""): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== "object" || v === null)) return `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
    return `[\n${value.map((v) => `${inner}${toTs(v, inner)},`).join("\n")}\n${indent}]`;
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    return `{\n${entries.map(([k, v]) => `${inner}${identifier.test(k) ? k : JSON.stringify(k)}: ${toTs(v, inner)},`).join("\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** The chart's fullname for a release (its _helpers.tpl): fullnameOverride, else release, or release-name. */
/** The chart values of a file (`helm get values -o yaml`, or a values file given to helm install). */
function readValuesFile(file: string, release: string, cwd: string) {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), "utf8");
  } catch (error) {
    throw new UserError(
      `import: cannot read ${file}: ${(error as Error).message}.`,
      "Name the chart values file, e.g. the output of helm get values <release> -o yaml.",
    );
  }
  let chart: unknown;
  try {
    // Helm reads duplicate keys (last wins), and the chart's own 0.1.23 values file has some.
    chart = parse(text, { uniqueKeys: false }) ?? {};
  } catch (error) {
    throw new UserError(`import: ${file} is not YAML: ${(error as Error).message}`, "Give the chart values file (YAML).");
  }
  if (typeof chart !== "object" || Array.isArray(chart))
    throw new UserError(`import: ${file} is not a values file (a YAML mapping).`, "Give the chart values file.");
  return { chart: chart as Record<string, Json>, origin: file, release, appVersion: undefined };
}

/** The values of a running release (the chart's defaults under the user's) and the Chroma version it runs. */
async function readLiveRelease(name: string, namespace: string, flags: ClusterFlags, rest: readonly string[], log: (line: string) => void) {
  if (rest.length > 0) throw new UserError(`import: --from-release reads the release, not ${rest.join(" ")}.`, "Give either a values file or --from-release.");
  const client = await connect(flags, log);
  try {
    const { readRelease } = await import("../../engine/helm/release.ts");
    const release = await readRelease(client, namespace, name);
    const { releaseChromaVersion } = await import("../helm-release.ts");
    const origin = `Helm release ${name} (namespace ${namespace}, revision ${release.revision}, chart ${release.chart.name}-${release.chart.version})`;
    return { chart: release.values, origin, release: name, appVersion: releaseChromaVersion(release) };
  } finally {
    client.close();
  }
}

function chartFullname(release: string, chart: Record<string, unknown>): string {
  const full = chart.fullnameOverride;
  if (typeof full === "string" && full) return full.slice(0, 63).replace(/-+$/, "");
  const name = typeof chart.nameOverride === "string" && chart.nameOverride ? chart.nameOverride : "chromadb";
  return (release.includes(name) ? release : `${release}-${name}`).slice(0, 63).replace(/-+$/, "");
}

const comment = (text: string) => text.split("\n").map((line) => `// ${line}`);

function noteLines(notes: readonly ImportNote[]): string[] {
  const lines: string[] = [];
  const dropped = notes.filter((n) => n.kind === "dropped");
  const renamed = notes.filter((n) => n.kind === "mapped" && (n.to !== n.chart || n.reason));
  const defaults = notes.filter((n) => n.kind === "default");
  if (dropped.length > 0) {
    lines.push("Not carried over (set in the chart values, with no chroma-mod value here):");
    for (const n of dropped) lines.push(`  ${n.chart}: ${n.reason}`);
  }
  if (renamed.length > 0) {
    lines.push("Carried over under another name or shape:");
    for (const n of renamed) lines.push(`  ${n.chart} → ${n.to}${n.reason ? ` (${n.reason})` : ""}`);
  }
  lines.push(`${defaults.length} chart keys were unset or at the chart's default and are left to chroma-mod's defaults.`);
  return lines;
}

export const importCommand: Command = {
  name: "import",
  summary: "Write a typed bundle from a Chroma Helm chart's values file or a running release",
  usage:
    "chroma-mod import helm (<values.yaml> [--release NAME] | --from-release NAME [--local | --kubeconfig FILE --context NAME]) [--namespace NS] [--chroma-version X.Y.Z] [-o bundle.config.ts] [--force]",
  description:
    "Reads a values file of the community Chroma Helm chart (0.1.x–0.2.x) and writes a commented bundle with one instance named after the release: every key mapped to its chroma-mod value, chart defaults left to chroma-mod's, and every key with no home here listed with the reason. The objects keep the names the chart gave the release (fullnameOverride, nameOverride), so the data claim is the same. With --from-release, reads the values of a running release from the cluster instead (Helm's release Secret in the namespace: the chart's defaults under the user's values, as helm get values --all prints them; the Chroma version from the release's image). Then vets the bundle. Exit code 0 when the written bundle is valid, 1 otherwise; adopt the release with apply --adopt-helm.",
  options: {
    release: { type: "string" },
    "from-release": { type: "string" },
    ...clusterOptions,
    namespace: { type: "string", short: "n" },
    "chroma-version": { type: "string" },
    output: { type: "string", short: "o" },
    force: { type: "boolean" },
  },
  optionHelp: {
    release: "The Helm release name: the instance name (default chroma; with --from-release, that release)",
    "from-release": "Read the values of this running Helm release (in --namespace) instead of a file",
    namespace: "The release's namespace (default default)",
    "chroma-version": "The Chroma version the release runs, when the values do not say (the chart then ran its appVersion: 1.5.3 for chart 0.2.2)",
    output: "The bundle file to write (default <release>.config.ts)",
    force: "Overwrite an existing bundle file",
  },
  examples: [
    "chroma-mod import helm values.yaml --release prod --namespace search --chroma-version 1.5.3",
    "helm get values prod -n search -o yaml > values.yaml && chroma-mod import helm values.yaml --release prod --namespace search",
    "chroma-mod import helm --from-release prod --namespace search --context prod -o prod.config.ts",
  ],
  async run({ positionals, values, io }) {
    const [source, ...rest] = positionals;
    if (source !== "helm") throw new UserError(`import: unknown source "${source ?? ""}".`, `Usage: ${importCommand.usage}`);
    const namespace = (values.namespace as string | undefined) ?? "default";
    const fromRelease = values["from-release"] as string | undefined;
    const { chart, origin, release, appVersion } =
      fromRelease === undefined
        ? readValuesFile(requireArgument(importCommand, rest, "the chart values file"), (values.release as string | undefined) ?? "chroma", io.cwd)
        : await readLiveRelease(fromRelease, namespace, values as ClusterFlags, rest, (line) => io.stderr(`${line}\n`));
    const result = importHelmValues(chart, (values["chroma-version"] as string | undefined) ?? appVersion);
    const version = result.chromaVersion;
    if (!version) {
      throw new UserError(
        `import: ${origin} does not say which Chroma version the release runs (neither chromadb.apiVersion nor a version in image.tag: the chart then ran its appVersion, 1.5.3 for chart 0.2.2).`,
        `Pass --chroma-version with the version it runs (the image tag: kubectl -n ${namespace} get statefulset -l app.kubernetes.io/instance=${release} -o jsonpath='{..image}').`,
      );
    }
    if (!isSupportedRelease(version))
      throw new UserError(`import: Chroma ${version} is not a release chroma-mod supports.`, "Pass --chroma-version with the release the chart runs.");
    const out = resolve(io.cwd, (values.output as string | undefined) ?? `${release}.config.ts`);
    const shown = relative(io.cwd, out);
    if (existsSync(out) && !values.force)
      throw new UserError(`${shown} already exists; not overwriting it.`, "Pass --force to replace it, or -o another file.");

    const bundleValues = result.values as { chromadb?: Record<string, unknown> } & Record<string, unknown>;
    const { apiVersion: _named, ...chromadb } = bundleValues.chromadb ?? {};
    bundleValues.chromadb = { apiVersion: version, ...chromadb };
    const fullname = chartFullname(release, chart as Record<string, unknown>);
    const naming = {
      nameOverride: bundleValues.nameOverride ?? "chromadb",
      ...(fullname !== release ? { fullnameOverride: fullname } : {}),
    };
    const instanceValues = { ...naming, ...bundleValues };
    const header = [
      `Imported by chroma-mod import helm from ${origin} (release ${release}, namespace ${namespace}).`,
      `The objects keep the chart's names for the release (${fullname}, label app.kubernetes.io/name=${naming.nameOverride}): the data claim stays data-${fullname}-0.`,
      ...result.warnings.map((w) => `Note: ${w}`),
      ...noteLines(result.notes),
    ];
    const bundle = [
      ...comment(header.join("\n")),
      'import { defineBundle } from "chroma-mod";',
      "",
      `export default defineBundle(${toTs({ instances: { [release]: { namespace, values: instanceValues } } })});`,
      "",
    ].join("\n");
    try {
      writeFileSync(out, bundle);
    } catch (error) {
      throw new UserError(`import: could not write ${shown}: ${(error as Error).message}.`, "Choose a file you can write (-o).");
    }
    io.stdout(`wrote ${shown}\n`);
    const dropped = result.notes.filter((n) => n.kind === "dropped");
    for (const n of dropped) io.stderr(`not carried over: ${n.chart}: ${n.reason}\n`);
    for (const w of result.warnings) io.stderr(`note: ${w}\n`);
    const instances = await loadInstances(out, { cwd: io.cwd, stderr: io.stderr });
    io.stdout(`${shown}: valid. ${instances.map((i) => `${i.name} (namespace ${i.namespace}, Chroma ${i.values.chromadb.apiVersion})`).join(", ")}\n`);
    return 0;
  },
};
