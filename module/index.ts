/** The Chroma module: what the engine needs to evaluate a bundle of Chroma instances. */
import pkg from "../package.json" with { type: "json" };
import { valuesSchema } from "../schemas/values.ts";
import { checkValues } from "./check.ts";
import { render } from "./render.ts";

export const chromaModule = {
  name: "chroma",
  version: pkg.version,
  valuesSchema,
  check: checkValues,
  render,
};

export type ChromaModule = typeof chromaModule;
