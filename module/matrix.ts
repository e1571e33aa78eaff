/**
 * The version matrix: what the module makes work on each tested Chroma version × feature, "yes" (the rendered
 * configuration makes it work) or "no" (the version cannot do it: `vet` refuses it or the module renders nothing
 * for it), with the reason. It is the module's claim; test/chroma/ proves every cell on real servers (suite.ts
 * iterates exactly this data), and README's matrix is generated from it. Change a cell only together with the test
 * that proves it.
 */

export const matrixVersions = ["0.4.6", "0.4.7", "0.4.8", "0.4.24", "0.5.0", "0.5.23", "0.6.3", "1.0.21", "1.5.9"] as const;
export type MatrixVersion = (typeof matrixVersions)[number];

export const features = {
  probes: "Rendered startup/liveness/readiness probe paths answer 200",
  tokenAuthorization: "Token auth, `Authorization: Bearer <token>`: none → refused, wrong → refused, right → create/add/query",
  tokenXChromaToken: "Token auth, `X-Chroma-Token: <token>`: none → refused, wrong → refused, right → create/add/query",
  basicAuth: "Basic auth (generated htpasswd): none → refused, wrong → refused, right → create/add/query",
  authProxy: "Auth enforced by the nginx sidecar (rendered nginx.conf and start script) in front of Chroma",
  allowReset: "`allowReset: true` → reset works; `false` → reset refused",
  persistence: "`isPersistent: true` → data survives a restart; `false` → gone after a restart",
  cors: "`corsAllowOrigins` → the listed origin gets Access-Control-Allow-Origin (request and preflight), another origin does not",
  corsWithAuth: "With auth on, CORS preflights (browsers send them without credentials) still get through",
  telemetryOff: "No anonymized telemetry leaves the server (default `anonymizedTelemetry: false`)",
  logConfig: "The module's log config is in effect (server lines in its format)",
  imageEntrypoint: "image/docker_entrypoint.sh starts the server (rendered command as its args, and env-driven with no args)",
} as const;
export type Feature = keyof typeof features;

export interface Cell {
  readonly support: "yes" | "no";
  readonly reason: string;
}
export type Row = { readonly [F in Feature]: Cell };

const yes = (reason: string): Cell => ({ support: "yes", reason });
const no = (reason: string): Cell => ({ support: "no", reason });

/** "yes: reason" / "no: reason", as the README shows a cell. */
export function cellText(cell: Cell): string {
  return `${cell.support}: ${cell.reason}`;
}

// Shared cells -------------------------------------------------------------------------------------------------

const probes0x = yes("GET /api/v1/heartbeat (startup, liveness, readiness); with auth, through the proxy (plus /proxy-health)");
const probes1x = yes("GET /api/v2/heartbeat and /api/v2/healthcheck; with auth, through the proxy (plus /proxy-health)");
const proxy0x = yes(
  "Debian nginx runs the rendered nginx.conf after the rendered start.sh checked the credentials, in front of the 0.x server on loopback, which checks them again (its own auth leaves routes open: 0.6.3 answers DELETE of a database without credentials with 200)",
);
const reset0x = yes("ALLOW_RESET env: reset() works with TRUE, is refused with FALSE");
const reset1x = yes("allow_reset in config.yaml: reset() works with true, is refused with false");
const persist0x = yes("IS_PERSISTENT + PERSIST_DIRECTORY on the PVC: data survives a restart; FALSE: in memory, gone");
const persist1x = yes("persist_path on the PVC: data survives a restart; isPersistent false: an emptyDir, gone");
const cors0x = yes("CHROMA_SERVER_CORS_ALLOW_ORIGINS (JSON list)");
const cors1x = yes("cors_allow_origins in config.yaml");
const corsAuth04 = no(
  "the 0.4 auth middleware runs before CORS: a preflight gets 401 without Access-Control-Allow-Origin (chroma_server_auth_ignore_paths matches exact paths only); browsers cannot call an authenticated 0.4 server; vet refuses corsAllowOrigins with auth on 0.4.7-0.4.24",
);
const corsAuth05 = yes("0.5+ authenticates in the route handlers, after CORS: preflights get 200 with Access-Control-Allow-Origin");
const corsAuth1x = yes("the auth proxy passes OPTIONS preflights to Chroma unauthenticated");
const telemetry0x = yes(
  "ANONYMIZED_TELEMETRY=FALSE (posthog) and ORT_DISABLE_TELEMETRY=1 (onnxruntime >= 1.29 phones Microsoft from Linux): no outbound connection in 15 s, no 'Anonymized telemetry enabled' line (control: true shows both)",
);
const telemetry1x = yes("the Rust server sends no product telemetry: no outbound connection");
const log0x = yes("uvicorn --log-config <module log_config.yaml>: server lines in its format");
const log1x = no("1.x (Rust) reads no Python log config; vet refuses chromadb.logConfig");
const entry0x = yes("uvicorn … as args, and env-driven (CHROMA_HOST_ADDR/PORT, CHROMA_LOG_CONFIG)");
const entry1x = yes("chroma run <config> as args, and env-driven (CHROMA_CONFIG)");

const row0x = {
  probes: probes0x,
  authProxy: proxy0x,
  allowReset: reset0x,
  persistence: persist0x,
  cors: cors0x,
  telemetryOff: telemetry0x,
  logConfig: log0x,
  imageEntrypoint: entry0x,
};
const row1x = {
  probes: probes1x,
  allowReset: reset1x,
  persistence: persist1x,
  cors: cors1x,
  telemetryOff: telemetry1x,
  logConfig: log1x,
  imageEntrypoint: entry1x,
};

const token04 = (header: string) => yes(`the nginx sidecar, then TokenAuthServerProvider (transport header by enum name ${header}); 401 from the proxy`);
const basic04 = yes("the nginx sidecar's auth_basic, then BasicAuthServerProvider, with the same htpasswd; 401 from the proxy");
const basic05 = yes("the nginx sidecar's auth_basic, then BasicAuthenticationServerProvider, with the same htpasswd; 401 from the proxy");
const proxyToken = (header: string) => yes(`the nginx sidecar checks ${header}; 401 from the proxy`);

/** 1.x: every auth feature through the nginx sidecar, the same on every 1.x version. */
const row1xAuth: Row = {
  ...row1x,
  corsWithAuth: corsAuth1x,
  tokenAuthorization: proxyToken("Authorization: Bearer"),
  tokenXChromaToken: proxyToken("X-Chroma-Token"),
  basicAuth: yes("the nginx sidecar's auth_basic with the generated htpasswd; 401"),
  authProxy: yes(
    "Chroma 1.x has no built-in auth: Debian nginx runs the rendered nginx.conf after the rendered start.sh checked the credentials, Chroma listens on loopback",
  ),
};

export const matrix: { readonly [V in MatrixVersion]: Row } = {
  "0.4.6": {
    ...row0x,
    corsWithAuth: no("Chroma 0.4.6 has no auth; vet refuses auth"),
    tokenAuthorization: no("Chroma 0.4.6 has no auth; vet refuses"),
    tokenXChromaToken: no("Chroma 0.4.6 has no auth; vet refuses"),
    basicAuth: no("Chroma 0.4.6 has no auth; vet refuses"),
    authProxy: no("Chroma 0.4.6 has no auth; vet refuses auth, so no sidecar is rendered"),
  },
  "0.4.7": {
    ...row0x,
    corsWithAuth: corsAuth04,
    tokenAuthorization: no("Chroma 0.4.7 has basic auth only (token auth came in 0.4.8); vet refuses"),
    tokenXChromaToken: no("Chroma 0.4.7 has basic auth only (token auth came in 0.4.8); vet refuses"),
    basicAuth: basic04,
  },
  "0.4.8": {
    ...row0x,
    corsWithAuth: corsAuth04,
    tokenAuthorization: token04("AUTHORIZATION"),
    tokenXChromaToken: token04("X_CHROMA_TOKEN"),
    basicAuth: basic04,
  },
  "0.4.24": {
    ...row0x,
    corsWithAuth: corsAuth04,
    tokenAuthorization: token04("AUTHORIZATION"),
    tokenXChromaToken: token04("X_CHROMA_TOKEN"),
    basicAuth: basic04,
  },
  "0.5.0": {
    ...row0x,
    corsWithAuth: corsAuth05,
    tokenAuthorization: yes(
      "the nginx sidecar, then TokenAuthenticationServerProvider (CHROMA_AUTH_TOKEN_TRANSPORT_HEADER by enum name AUTHORIZATION); 401 from the proxy",
    ),
    tokenXChromaToken: yes(
      "the nginx sidecar, then TokenAuthenticationServerProvider (CHROMA_AUTH_TOKEN_TRANSPORT_HEADER by enum name X_CHROMA_TOKEN); 401 from the proxy",
    ),
    basicAuth: basic05,
  },
  "0.5.23": {
    ...row0x,
    corsWithAuth: corsAuth05,
    tokenAuthorization: yes("the nginx sidecar, then TokenAuthenticationServerProvider (CHROMA_AUTH_TOKEN_TRANSPORT_HEADER=Authorization); 401 from the proxy"),
    tokenXChromaToken: yes("the nginx sidecar, then TokenAuthenticationServerProvider (CHROMA_AUTH_TOKEN_TRANSPORT_HEADER=X-Chroma-Token); 401 from the proxy"),
    basicAuth: basic05,
  },
  "0.6.3": {
    ...row0x,
    corsWithAuth: corsAuth05,
    tokenAuthorization: yes("the nginx sidecar, then TokenAuthenticationServerProvider (CHROMA_AUTH_TOKEN_TRANSPORT_HEADER=Authorization); 401 from the proxy"),
    tokenXChromaToken: yes("the nginx sidecar, then TokenAuthenticationServerProvider (CHROMA_AUTH_TOKEN_TRANSPORT_HEADER=X-Chroma-Token); 401 from the proxy"),
    basicAuth: basic05,
  },
  "1.0.21": row1xAuth,
  "1.5.9": row1xAuth,
};
