/**
 * Chroma's on-disk format changed at 0.5, 0.6 and 1.0: a server reads the data of its own generation (and
 * migrates older data forward), so going back across a boundary strands the data. `rollback` asks here.
 */
import { compareVersions } from "../schemas/releases.ts";
import type { Values } from "../schemas/values.ts";

const boundaries = ["0.5.0", "0.6.0", "1.0.0"] as const;

/** The data generation of a Chroma version: "0.4" (before 0.5), "0.5", "0.6" or "1". */
export function dataGeneration(version: string): string {
  const crossed = boundaries.filter((b) => compareVersions(version, b) >= 0).length;
  return ["0.4", "0.5", "0.6", "1"][crossed]!;
}

/** Why the instance running `current` cannot go back to `target`'s values, or undefined when it can. */
export function rollbackRefusal(current: Values, target: Values): string | undefined {
  const from = current.chromadb.apiVersion;
  const to = target.chromadb.apiVersion;
  if (dataGeneration(from) === dataGeneration(to)) return undefined;
  return `the instance runs Chroma ${from}, and the revision runs Chroma ${to}: their on-disk formats differ (data format ${dataGeneration(from)} vs ${dataGeneration(to)}), so Chroma ${to} cannot use the data ${from} wrote, and rolling back would strand it. Restore a backup of that revision's data instead, or roll forward with apply.`;
}

/** Why an instance of `to` cannot take over the data a Chroma `from` wrote (adoption of a release), or undefined. */
export function adoptionRefusal(from: string, to: string): string | undefined {
  if (dataGeneration(from) === dataGeneration(to)) return undefined;
  return `the release runs Chroma ${from} and the bundle Chroma ${to}: their on-disk formats differ (data format ${dataGeneration(from)} vs ${dataGeneration(to)}), so the adopted volume would hold data Chroma ${to} ${compareVersions(to, from) > 0 ? "has to migrate in place, with no way back" : "cannot read"}.`;
}
