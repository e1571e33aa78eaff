// Values shared by the instances of multi.config.ts: a local import, bundled by the loader.
import { defineValues } from "chroma-mod";

export const common = defineValues({
  resources: { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "2Gi" } },
  labels: { "cost-center": "ml-platform" },
});
