/**
 * Generated documentation: the value reference (from the valibot schemas, via their JSON Schema) and the
 * version matrix sections of README.md. `npm run docs` rewrites them; test/unit/docs.test.ts fails when they are stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { jsonSchemaOf } from "../schemas/json-schema.ts";
import { gateTable } from "../module/gates.ts";
import { chromaReleases } from "../schemas/releases.ts";
import { chartValueTable } from "../module/helm-import.ts";
import { features, matrix, matrixVersions, type Feature } from "../module/matrix.ts";

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  additionalProperties?: boolean | JsonSchema;
  const?: unknown;
}

const root = fileURLToPath(new URL("..", import.meta.url));

function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum) return schema.enum.length > 8 ? `one of ${schema.enum.length} versions` : schema.enum.map((e) => `\`${JSON.stringify(e)}\``).join(" \\| ");
  if (schema.anyOf) return [...new Set(schema.anyOf.map(typeOf))].join(" \\| ");
  if (schema.type === "array") {
    const item = typeOf(schema.items!); // valibot arrays always have an item schema
    return item.includes(" \\| ") ? `(${item})[]` : `${item}[]`;
  }
  if (schema.type === "object" && schema.additionalProperties && typeof schema.additionalProperties === "object")
    return `map of ${typeOf(schema.additionalProperties)}`;
  return schema.type ?? "any";
}

function defaultOf(schema: JsonSchema): string {
  if (schema.default === undefined) return "";
  if (typeof schema.default === "object" && schema.default !== null && Object.keys(schema.default).length === 0 && !Array.isArray(schema.default)) return "";
  return `\`${JSON.stringify(schema.default)}\``;
}

function rows(schema: JsonSchema, path: string, out: string[]): void {
  for (const [key, property] of Object.entries(schema.properties!)) {
    // only called on objects with properties
    const here = path ? `${path}.${key}` : key;
    const leaf = !property.properties;
    if (leaf || property.description) {
      out.push(
        `| \`${here}\` | ${leaf ? typeOf(property) : "object"} | ${defaultOf(property)} | ${(property.description ?? "").replace(/\|/g, "\\|").replace(/\n/g, " ")} |`,
      );
    }
    if (property.properties) rows(property, here, out);
    else if (property.type === "array" && property.items?.properties) rows(property.items, `${here}[]`, out);
  }
}

export function valuesReference(): string {
  const out = ["| value | type | default | description |", "|---|---|---|---|"];
  rows(jsonSchemaOf("values") as JsonSchema, "", out);
  return `${out.join("\n")}\n`;
}

const range = (rows: readonly { from: string; to: string }[]) => rows.map((r) => (r.from === r.to ? r.from : `${r.from}–${r.to}`)).join(", ");

export function gatesReference(): string {
  const lines = [
    `Supported releases: ${chromaReleases[0]} to ${chromaReleases[chromaReleases.length - 1]} (${chromaReleases.length} releases; unreleased numbers are refused by \`vet\`).`,
    "",
    "| behaviour | variant | Chroma versions |",
    "|---|---|---|",
  ];
  for (const [gate, table] of Object.entries(gateTable)) {
    for (const row of table as readonly { from: string; to: string; value: unknown }[]) {
      lines.push(
        `| ${gate} | ${
          typeof row.value === "object"
            ? Object.entries(row.value as object)
                .map(([k, v]) => `${k} \`${v}\``)
                .join(", ")
            : `\`${String(row.value)}\``
        } | ${range([row])} |`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The version matrix proven by test/chroma/ on real servers: ✓/✗ per version × feature, the reasons for ✗. */
export function matrixReference(): string {
  const keys = Object.keys(features) as Feature[];
  const lines = [
    `| Chroma | ${keys.map((_, i) => `${i + 1}`).join(" | ")} |`,
    `|---|${keys.map(() => "---").join("|")}|`,
    ...matrixVersions.map((v) => `| ${v} | ${keys.map((f) => (matrix[v][f].support === "yes" ? "✓" : "✗")).join(" | ")} |`),
    "",
    ...keys.map((f, i) => `${i + 1}. ${features[f]}`),
    "",
    "Why a cell is ✗:",
    "",
    ...matrixVersions.flatMap((v) => keys.filter((f) => matrix[v][f].support === "no").map((f) => `- ${v}, ${f}: ${matrix[v][f].reason}`)),
  ];
  return `${lines.join("\n")}\n`;
}

/** README's migration table: every key of the Helm chart (0.1.x–0.2.x), its home here, and how it differs. */
export function helmReference(): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  const lines = ["| chart value | chroma-mod | difference |", "|---|---|---|"];
  for (const row of chartValueTable()) {
    lines.push(`| \`${row.chart}\` | ${row.to === undefined ? "—" : row.to === "same" ? "same" : `\`${row.to}\``} | ${cell(row.difference)} |`);
  }
  return `${lines.join("\n")}\n`;
}

/** Replaces the text between `<!-- NAME:start -->` and `<!-- NAME:end -->`. */
export function replaceSection(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`missing ${start} … ${end}`);
  return `${text.slice(0, from + start.length)}\n${body}${text.slice(to)}`;
}

export function generatedFiles(): Record<string, string> {
  const readme = readFileSync(`${root}README.md`, "utf8");
  const withGates = replaceSection(replaceSection(replaceSection(readme, "gates", gatesReference()), "matrix", matrixReference()), "helm", helmReference());
  return {
    "README.md": withGates,
    "docs/values.md": `# Value reference\n\nGenerated from \`schemas/values.ts\` by \`npm run docs\`; \`chroma-mod schema\` prints the same as JSON Schema.\nEvery key sits under \`instances.<name>.values\` of a bundle. Keys under \`chromadb.*\` are the seed Helm chart's.\n\n${valuesReference()}`,
  };
}

/** Rewrites the generated files (`npm run docs`). */
export function writeGeneratedFiles(): void {
  for (const [file, text] of Object.entries(generatedFiles())) writeFileSync(`${root}${file}`, text);
}
