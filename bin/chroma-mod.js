#!/usr/bin/env node
// Node entry point: run the TypeScript CLI through tsx (Deno runs cli/main.ts directly).
import { register } from "tsx/esm/api";

register();
await import("../cli/main.ts");
