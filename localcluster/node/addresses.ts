/** Where the local node put a Service on loopback: the agent's `<stateDir>/node/services.json` (services.ts writes it). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathsOf } from "../paths.ts";
import type { LocalClusterOptions } from "../types.ts";

/** namespace/name → service port name (or number) → loopback port. */
export type ServiceAddresses = Record<string, Record<string, number>>;

/**
 * The file: every port ever given (`ports`, kept so a Service gets the same port again) and the Services served now
 * (`serving`: they select a pod of this node).
 */
export interface AddressFile {
  readonly ports: ServiceAddresses;
  readonly serving: readonly string[];
}

export function readAddresses(file: string): AddressFile {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<AddressFile>;
    return { ports: parsed.ports ?? {}, serving: parsed.serving ?? [] };
  } catch {
    return { ports: {}, serving: [] };
  }
}

/**
 * The loopback port of each port of Service `namespace/name` (by port name, or number when unnamed), while the local
 * node serves it (a pod of the node matches it); {} otherwise.
 */
export function serviceAddress(namespace: string, name: string, opts: LocalClusterOptions = {}): Record<string, number> {
  const key = `${namespace}/${name}`;
  const file = readAddresses(join(pathsOf(opts).stateDir, "node", "services.json"));
  return file.serving.includes(key) ? (file.ports[key] ?? {}) : {};
}
