/**
 * The environment variables the module itself sets on the Chroma container, over every version and auth variant:
 * derived from the module's own rendering (templates/env.ts, and on 1.x the `CHROMA_*` names that override the
 * config file's keys), so `extraEnv` can never shadow one, whatever letter case it uses.
 */
import * as v from "valibot";
import { valuesSchema } from "../schemas/values.ts";
import { gatesFor } from "./gates.ts";
import { resolveInstance } from "./instance.ts";
import { chromaReleases } from "../schemas/releases.ts";
import { chromaConfigFile } from "./templates/config.ts";
import { chromaEnv } from "./templates/env.ts";

/** `CHROMA_<KEY>` and `CHROMA_<KEY>__<NESTED>`: how Chroma 1.x reads a config key from the environment. */
function configEnvNames(config: Record<string, unknown>, prefix: string, out: Set<string>): void {
  for (const [key, value] of Object.entries(config)) {
    const name = `${prefix}${key.toUpperCase()}`;
    out.add(name);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) configEnvNames(value as Record<string, unknown>, `${name}__`, out);
  }
}

let cached: ReadonlySet<string> | undefined;

/** Upper-case names. */
export function moduleEnvNames(): ReadonlySet<string> {
  if (cached) return cached;
  const names = new Set<string>();
  // One release per distinct set of gates is enough: the env only changes where a gate does.
  const releases = [...new Map(chromaReleases.map((release) => [JSON.stringify(gatesFor(release)), release])).values()];
  const variants = [
    { type: "token", token: { tokenHeader: "Authorization" } },
    { type: "token", token: { tokenHeader: "X-Chroma-Token" } },
    { type: "basic" },
  ] as const;
  for (const apiVersion of releases) {
    for (const auth of variants) {
      for (const anonymizedTelemetry of [false, true]) {
        const values = v.parse(valuesSchema, {
          chromadb: {
            apiVersion,
            auth,
            anonymizedTelemetry,
            openTelemetry: { endpoint: "http://otel:4317" },
            corsAllowOrigins: ["https://app.example"],
            maxPayloadSizeBytes: 1,
            sqliteMigrationMode: "apply",
          },
        });
        const instance = resolveInstance(values, { name: "x", namespace: "x" });
        for (const env of chromaEnv(instance)) names.add(env.name.toUpperCase());
        if (instance.gates.settings === "config-file") configEnvNames(chromaConfigFile(instance), "CHROMA_", names);
      }
    }
  }
  cached = names;
  return names;
}
