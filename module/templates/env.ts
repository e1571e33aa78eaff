/** The env of the Chroma container for 0.x servers (settings are env vars there) plus the user's extraEnv. */
import type { Instance } from "../instance.ts";
import { authEnv, type EnvVar } from "./auth.ts";

const bool = (value: boolean) => (value ? "TRUE" : "FALSE");

export function chromaEnv(instance: Instance): EnvVar[] {
  const { chromadb, extraEnv } = instance.values;
  const env: EnvVar[] = [{ name: "HOME", value: "/tmp" }];
  if (instance.gates.settings === "env") {
    env.push(
      { name: "IS_PERSISTENT", value: bool(chromadb.isPersistent) },
      { name: "PERSIST_DIRECTORY", value: instance.persistDirectory },
      { name: "ALLOW_RESET", value: bool(chromadb.allowReset) },
      { name: "ANONYMIZED_TELEMETRY", value: bool(chromadb.anonymizedTelemetry) },
      // chromadb pulls in onnxruntime, which sends its own telemetry from Linux (1.29+) unless told not to.
      ...(chromadb.anonymizedTelemetry ? [] : [{ name: "ORT_DISABLE_TELEMETRY", value: "1" }]),
      { name: "CHROMA_API_IMPL", value: chromadb.apiImpl },
      { name: "CHROMA_SERVER_CORS_ALLOW_ORIGINS", value: JSON.stringify(chromadb.corsAllowOrigins) },
      ...authEnv(instance),
    );
    const otel = chromadb.openTelemetry;
    if (otel) {
      env.push(
        { name: "CHROMA_OTEL_COLLECTION_ENDPOINT", value: otel.endpoint },
        { name: "CHROMA_OTEL_SERVICE_NAME", value: otel.serviceName ?? instance.name },
        { name: "CHROMA_OTEL_GRANULARITY", value: otel.granularity },
      );
    }
  }
  return [...env, ...extraEnv.map(storedForm)];
}

/**
 * An env var as the API server stores it: a `fieldRef` without `apiVersion` gets "v1", its default, written out here,
 * so the object is kept as rendered (and a no-op apply finds it unchanged without asking the server).
 */
function storedForm(v: EnvVar): EnvVar {
  const fieldRef = v.valueFrom?.fieldRef as { apiVersion?: string } | undefined;
  if (!fieldRef || fieldRef.apiVersion !== undefined) return v;
  return { ...v, valueFrom: { ...v.valueFrom, fieldRef: { apiVersion: "v1", ...fieldRef } } };
}
