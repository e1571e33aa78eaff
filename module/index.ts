/** The Chroma module: what the engine needs to evaluate a bundle of Chroma instances. */
import pkg from "../package.json" with { type: "json" };
import type { Module } from "../core/types.ts";
import { valuesSchema, type Values } from "../schemas/values.ts";
import { auditValues, findingIds } from "./audit.ts";
import { checkValues } from "./check.ts";
import { rollbackRefusal } from "./data-format.ts";
import { accessInstance, describeInstance } from "./describe.ts";
import { render } from "./render.ts";
import { kindHints } from "./templates/tls.ts";

export const chromaModule = {
  name: "chroma",
  version: pkg.version,
  valuesSchema,
  check: checkValues,
  render,
  describe: describeInstance,
  access: accessInstance,
  rollbackRefusal,
  audit: auditValues,
  findingIds,
  kindHints,
} satisfies Module<Values>;
