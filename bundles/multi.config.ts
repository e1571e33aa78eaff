// Several instances in one bundle: two teams on two namespaces, and a legacy 0.4.24 server with basic auth
// kept during a migration. Names never collide: every object is prefixed by its instance name.
import { defineBundle } from "chroma-mod";
import { common } from "./shared.ts";

export default defineBundle({
  // Labels what the bundle owns; `apply` removes the instances you take out of this file.
  name: "multi",
  instances: {
    docs: {
      namespace: "team-docs",
      values: { ...common, chromadb: { apiVersion: "1.5.9", auth: { type: "basic" } } },
    },
    recs: {
      namespace: "team-recs",
      values: { ...common, chromadb: { apiVersion: "0.6.3", auth: { type: "token" }, allowReset: true } },
    },
    legacy: {
      namespace: "team-recs",
      values: {
        ...common,
        chromadb: { apiVersion: "0.4.24", auth: { type: "basic", basic: { username: "reader" } }, isPersistent: false },
        replicas: 1,
      },
    },
  },
});
