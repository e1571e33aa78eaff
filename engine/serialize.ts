/** Serialising objects: byte-stable multi-document YAML, a JSON List, or one file per object. */
import { stringify } from "yaml";
import type { KubeObject } from "./types.ts";

export function toYaml(objects: readonly KubeObject[]): string {
  return objects.map((object) => `---\n${stringify(object, { lineWidth: 0, aliasDuplicateObjects: false })}`).join("");
}

export function toJsonList(objects: readonly KubeObject[]): string {
  return `${JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }, null, 2)}\n`;
}

/** A file name per object: `<namespace>.<kind>.<name>.yaml`, unique within a bundle. */
export function fileNameFor(object: KubeObject): string {
  return `${object.metadata.namespace ?? "_cluster"}.${object.kind.toLowerCase()}.${object.metadata.name}.yaml`;
}
