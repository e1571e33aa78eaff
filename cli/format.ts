/** Human output of engine results: one line per object, grouped by instance. */
import type { ApplyResult, DestroyResult, DiffResult, ObjectChange, StatusResult } from "../engine/apply/index.ts";

const pad = (text: string, width: number) => text.padEnd(width);

function changeLines(changes: readonly ObjectChange[]): string[] {
  const width = Math.max(0, ...changes.map((c) => c.object.length));
  return changes.map((c) => `  ${pad(c.object, width)}  ${c.action}${c.reason ? ` (${c.reason})` : ""}`);
}

export function formatApply(results: readonly ApplyResult[], dryRun: boolean): string {
  const out: string[] = [];
  for (const result of results) {
    const counts = new Map<string, number>();
    for (const change of result.changes) counts.set(change.action, (counts.get(change.action) ?? 0) + 1);
    const summary = [...counts].map(([action, n]) => `${n} ${action}`).join(", ");
    const removed = result.removed
      ? ` (no longer in the bundle: ${dryRun ? "apply would delete it" : "deleted"} as \`chroma-mod delete\` does, PersistentVolumeClaims and credentials kept)`
      : "";
    out.push(`${result.instance.namespace}/${result.instance.name}: ${summary}${removed}${dryRun ? " (dry run: nothing was changed)" : ""}`);
    out.push(...changeLines(result.changes));
    if (result.wait) {
      out.push(`  ${result.wait.ready ? "ready" : "NOT READY"} after ${(result.wait.elapsedMs / 1000).toFixed(1)}s`);
      for (const why of result.wait.explanations) {
        out.push(`    ${why.object}: ${why.status}: ${why.message}`);
        for (const pod of why.pods) {
          out.push(`      pod ${pod.name} (${pod.phase})`);
          for (const line of [...pod.conditions, ...pod.containers, ...pod.events]) out.push(`        ${line}`);
        }
        for (const event of why.events) out.push(`      event: ${event}`);
      }
    }
  }
  return `${out.join("\n")}\n`;
}

export function formatDiff(results: readonly DiffResult[]): string {
  const out: string[] = [];
  for (const result of results) {
    if (result.removed)
      out.push(
        `# ${result.instance.namespace}/${result.instance.name}: no longer in the bundle: apply would delete it as \`chroma-mod delete\` does (PersistentVolumeClaims and credentials kept)`,
      );
    for (const change of result.changes) {
      if (change.action === "unchanged") continue;
      out.push(`# ${change.object}: ${change.action}${change.reason ? ` (${change.reason})` : ""}`);
      if (change.diff) out.push(change.diff.replace(/\n$/, ""));
    }
    if (!result.changed) out.push(`# ${result.instance.namespace}/${result.instance.name}: no changes`);
  }
  return `${out.join("\n")}\n`;
}

export function formatDestroy(result: DestroyResult): string {
  const kept = result.changes.filter((c) => c.action === "skipped");
  return (
    [
      `${result.instance.namespace}/${result.instance.name}: inventory ${result.inventory}`,
      ...changeLines(result.changes),
      ...(kept.length > 0 ? [`  kept ${kept.length} object(s) holding data; delete them with --delete-data`] : []),
    ].join("\n") + "\n"
  );
}

/** `summary`: what the module says of the running instance (`Module.describe`), e.g. `Chroma 1.5.9`. */
/** ", revision N (applied <time>, <note>)", or nothing when no revision is recorded. */
function revisionText(r: StatusResult["revision"]): string {
  return r ? `, revision ${r.revision} (applied ${r.appliedAt.replace(/\.\d+Z$/, "Z")}${r.note ? `, ${r.note}` : ""})` : "";
}

export function formatStatus(result: StatusResult, summary: string | undefined): string {
  if (!result.found) return `${result.instance.namespace}/${result.instance.name}: not installed (no inventory)\n`;
  const width = Math.max(0, ...result.objects.map((o) => o.object.length));
  return (
    [
      `${result.instance.namespace}/${result.instance.name}: module ${result.module}, ${summary}, values ${result.valuesDigest?.slice(0, 19)}${revisionText(result.revision)}`,
      ...result.objects.map((o) => `  ${pad(o.object, width)}  ${o.status}: ${o.message}`),
    ].join("\n") + "\n"
  );
}
