/** Where the local node put a Service on loopback (read from the agent's `<stateDir>/node/services.json`). */
import { join } from "node:path";
import { pathsOf } from "../paths.ts";
import type { LocalClusterOptions } from "../types.ts";
import { readAddresses } from "./services.ts";

/** The loopback port of each port of Service `namespace/name` (by port name, or number when unnamed); {} when none. */
export function serviceAddress(namespace: string, name: string, opts: LocalClusterOptions = {}): Record<string, number> {
  return readAddresses(join(pathsOf(opts).stateDir, "node", "services.json"))[`${namespace}/${name}`] ?? {};
}
