/** Serialising objects: byte-stable multi-document YAML, a JSON List, or one file per object. */
import { dumpYaml } from "../core/yaml-dump.ts";
import type { KubeObject } from "../core/types.ts";

/**
 * Multi-document YAML, block style, keys in the objects' order, long lines never folded, strings double-quoted where
 * YAML needs quotes: js-yaml's output (not the yaml package's, used for parsing and documents), written by
 * core/yaml-dump.ts, which is most of the time of `build` for a bundle of many instances.
 */
export function toYaml(objects: readonly KubeObject[]): string {
  const cache = new Map<unknown, string>();
  return objects.map((object) => `---\n${dumpYaml(object, cache)}`).join("");
}

export function toJsonList(objects: readonly KubeObject[]): string {
  return `${JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }, null, 2)}\n`;
}

/** A part of a file name: what a Kubernetes name may hold (`[a-z0-9.-]`); anything else, `/` included, becomes `_`. */
const filePart = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\./, "_");

/**
 * A file name per object: `<namespace>.<kind>.<name>.yaml`, unique within a bundle. Never a path: a name such as
 * `../../x` (which `vet` refuses anyway) stays inside the directory as `_.._x`-like text.
 */
export function fileNameFor(object: KubeObject): string {
  return `${filePart(object.metadata.namespace ?? "_cluster")}.${filePart(object.kind.toLowerCase())}.${filePart(object.metadata.name)}.yaml`;
}
