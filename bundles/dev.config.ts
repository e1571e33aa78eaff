// A small local instance: the newest Chroma, token auth, a 1Gi volume. `chroma-mod apply bundles/dev.config.ts --local`
import { defineBundle } from "chroma-mod";

export default defineBundle({
  // Labels what the bundle owns; `apply` removes the instances you take out of this file.
  name: "dev",
  instances: {
    dev: {
      namespace: "chroma-dev",
      createNamespace: true,
      values: {
        chromadb: { auth: { enabled: true, type: "token" }, dataVolumeSize: "1Gi" },
        resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } },
      },
    },
  },
});
