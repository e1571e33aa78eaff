/** Serialising objects: byte-stable multi-document YAML, a JSON List, or one file per object. */
import { stringify } from "yaml";
import type { KubeObject } from "../core/types.ts";

export function toYaml(objects: readonly KubeObject[]): string {
  return objects.map((object) => `---\n${stringify(object, { lineWidth: 0, aliasDuplicateObjects: false })}`).join("");
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
