/**
 * The version gates: for each Chroma behaviour, which releases have which variant. This is the only place that
 * branches on version strings; everything else asks `gatesFor(version)`. Each row is a fact verified against a
 * real server of that version by test/chroma/ (see README's version matrix); correct a row here when a server
 * disagrees.
 */
import { compareVersions } from "../schemas/releases.ts";

interface Row<T> {
  readonly from: string;
  readonly to: string;
  readonly value: T;
}

/** How the server process is started. */
export type ServerCommand =
  /** `uvicorn chromadb.app:app …` (0.4.x images). */
  | "uvicorn"
  /** Same, with `--timeout-keep-alive 30` (0.4.16+ images). */
  | "uvicorn-keepalive"
  /** `chroma run <config.yaml>` (Rust server, config path positional). */
  | "chroma-run";

/** How Chroma reads its settings. */
export type SettingsStyle = "env" | "config-file";

/** How the server authenticates, per auth type. `proxy`: no built-in auth, the nginx sidecar enforces it. */
export type BasicAuthStyle = "auth-provider" | "authn-provider" | "proxy";
export type TokenAuthStyle = "auth-provider" | "authn-header-name" | "authn-header-value" | "proxy";

export interface HealthPaths {
  readonly liveness: string;
  readonly readiness: string;
}

export const gateTable = {
  serverCommand: [
    { from: "0.4.3", to: "0.4.15", value: "uvicorn" },
    { from: "0.4.16", to: "0.6.3", value: "uvicorn-keepalive" },
    { from: "1.0.0", to: "1.5.9", value: "chroma-run" },
  ] as Row<ServerCommand>[],
  settings: [
    { from: "0.4.3", to: "0.6.3", value: "env" },
    { from: "1.0.0", to: "1.5.9", value: "config-file" },
  ] as Row<SettingsStyle>[],
  basicAuth: [
    { from: "0.4.7", to: "0.4.24", value: "auth-provider" },
    { from: "0.5.0", to: "0.6.3", value: "authn-provider" },
    { from: "1.0.0", to: "1.5.9", value: "proxy" },
  ] as Row<BasicAuthStyle>[],
  tokenAuth: [
    { from: "0.4.8", to: "0.4.24", value: "auth-provider" },
    { from: "0.5.0", to: "0.5.0", value: "authn-header-name" },
    { from: "0.5.1", to: "0.6.3", value: "authn-header-value" },
    { from: "1.0.0", to: "1.5.9", value: "proxy" },
  ] as Row<TokenAuthStyle>[],
  health: [
    { from: "0.4.3", to: "0.6.3", value: { liveness: "/api/v1/heartbeat", readiness: "/api/v1/heartbeat" } },
    { from: "1.0.0", to: "1.5.9", value: { liveness: "/api/v2/heartbeat", readiness: "/api/v2/healthcheck" } },
  ] as Row<HealthPaths>[],
  /** `cors_allow_origins: ["*"]` makes the server panic at start (fixed in 1.0.11). */
  corsWildcardCrashes: [{ from: "1.0.0", to: "1.0.10", value: true }] as Row<boolean>[],
  /**
   * Auth runs before CORS in the 0.4 server: a browser's preflight (sent without credentials) gets 401 and no
   * CORS headers, so CORS cannot work together with auth there (verified on 0.4.7-0.4.24; fixed in 0.5).
   */
  corsPreflightBlockedByAuth: [{ from: "0.4.7", to: "0.4.24", value: true }] as Row<boolean>[],
  /**
   * Whether `anonymizedTelemetry` means anything: the 0.x Python servers send posthog events (and pull in
   * onnxruntime, which phones home on Linux unless ORT_DISABLE_TELEMETRY=1); the 1.x Rust server sends none.
   */
  productTelemetry: [{ from: "0.4.3", to: "0.6.3", value: true }] as Row<boolean>[],
  /** OpenTelemetry: `env` = CHROMA_OTEL_* variables (traces), `config` = the `open_telemetry` config block. */
  openTelemetry: [
    { from: "0.4.15", to: "0.6.3", value: "env" },
    { from: "1.0.0", to: "1.5.9", value: "config" },
  ] as Row<"env" | "config">[],
  /** Where the official image keeps data when not told otherwise. */
  imageDataDirectory: [
    { from: "0.4.3", to: "0.6.3", value: "/chroma/chroma" },
    { from: "1.0.0", to: "1.5.9", value: "/data" },
  ] as Row<string>[],
};

export interface Gates {
  readonly serverCommand: ServerCommand;
  readonly settings: SettingsStyle;
  readonly basicAuth: BasicAuthStyle | undefined;
  readonly tokenAuth: TokenAuthStyle | undefined;
  readonly health: HealthPaths;
  readonly corsWildcardCrashes: boolean;
  readonly corsPreflightBlockedByAuth: boolean;
  readonly productTelemetry: boolean;
  readonly openTelemetry: "env" | "config" | undefined;
  readonly imageDataDirectory: string;
}

function pick<T>(rows: readonly Row<T>[], version: string): T | undefined {
  return rows.find((row) => compareVersions(version, row.from) >= 0 && compareVersions(version, row.to) <= 0)?.value;
}

const gatesByVersion = new Map<string, Gates>();

/** The variant of every gated behaviour for one (supported) Chroma release (worked out once per release). */
export function gatesFor(version: string): Gates {
  let gates = gatesByVersion.get(version);
  if (gates === undefined) {
    gates = Object.freeze(gatesOf(version));
    gatesByVersion.set(version, gates);
  }
  return gates;
}

function gatesOf(version: string): Gates {
  return {
    serverCommand: pick(gateTable.serverCommand, version)!,
    settings: pick(gateTable.settings, version)!,
    basicAuth: pick(gateTable.basicAuth, version),
    tokenAuth: pick(gateTable.tokenAuth, version),
    health: pick(gateTable.health, version)!,
    corsWildcardCrashes: pick(gateTable.corsWildcardCrashes, version) ?? false,
    corsPreflightBlockedByAuth: pick(gateTable.corsPreflightBlockedByAuth, version) ?? false,
    productTelemetry: pick(gateTable.productTelemetry, version) ?? false,
    openTelemetry: pick(gateTable.openTelemetry, version),
    imageDataDirectory: pick(gateTable.imageDataDirectory, version)!,
  };
}

/** The first release of a gate's rows, for error messages ("basic auth needs Chroma >= 0.4.7"). */
export function firstRelease(rows: readonly Row<unknown>[]): string {
  return rows[0]!.from;
}
