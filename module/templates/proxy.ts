/**
 * The authenticating nginx sidecar, in front of every Chroma version with auth on: 1.x has no built-in auth, and
 * the 0.x servers' own auth leaves routes open (0.6.3 answers DELETE of a database without credentials with 200;
 * 0.5.0 reads a request's body before its credentials: test/chroma/auth-routes.test.ts), so a request without valid
 * credentials must never reach Chroma. It accepts the credentials Chroma's own auth took (token in `Authorization: Bearer` or
 * `X-Chroma-Token`, or HTTP basic), leaves the health and version paths open for probes, lets CORS preflights
 * through, and proxies to Chroma on loopback (a 0.x server checks the same credentials again).
 *
 * The credentials never enter the rendered objects: the start script (`start.sh`, in the ConfigMap) reads them
 * from the auth Secret when the container starts, checks them, and writes the token check nginx includes.
 */
import type { Instance } from "../instance.ts";
import { paths } from "./config.ts";
import { htpasswdCheck } from "./htpasswd-check.ts";
import { tokenBytesAwk, trailingNewlineHint } from "./token-check.ts";

/** The env var the start script reads the token from (the auth Secret's `token` key). */
export const proxyTokenEnv = "CHROMA_AUTH_TOKEN";

/** The longest token the proxy accepts, in bytes: with `Authorization: Bearer ` it stays well inside nginx's default 8 KiB header line. */
const maxTokenBytes = 4096;

/**
 * Token bytes per regex in the generated check. nginx refuses a config parameter of 4096 characters or more, and
 * each byte becomes a 4-character `\xHH` escape: 900 bytes make a 3600-character pattern, plus the anchors.
 */
const tokenChunkBytes = 900;

/** Files of the proxy: its config and start script in the ConfigMap, the generated token check in its /tmp. */
export const proxyFiles = {
  conf: "nginx.conf",
  start: "start.sh",
  runDir: "/tmp/nginx",
  tokenConf: "/tmp/nginx/chroma-token.conf",
} as const;

/** Header names as the auth values spell them (the chart's spellings are accepted). */
export function tokenHeaderOf(instance: Instance): "Authorization" | "X-Chroma-Token" {
  return instance.values.chromadb.auth.token.tokenHeader.toLowerCase() === "authorization" ? "Authorization" : "X-Chroma-Token";
}

/**
 * TLS as Mozilla's "intermediate" profile has it (TLS 1.2 and 1.3, forward-secret AEAD ciphers only, no session
 * tickets). A plain HTTP request to the port gets nginx's 400, never an answer from Chroma.
 */
const tlsDirectives = () => `    ssl_certificate ${paths.tlsDir}/tls.crt;
    ssl_certificate_key ${paths.tlsDir}/tls.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
    ssl_prefer_server_ciphers off;
    ssl_session_tickets off;`;

/** The proxy's nginx.conf: static; the token check is the file the start script generates (`include`). */
export function nginxConf(instance: Instance): string {
  const { chromadb, proxy } = instance.values;
  const upstream = `http://127.0.0.1:${proxy.upstreamPort}`;
  const basic = chromadb.auth.type === "basic";
  const auth = instance.proxyAuth;
  // 1.x refuses bodies over max_payload_size_bytes (40 MiB by default) itself; 0.x sets no limit, nor does its proxy.
  const bodyLimit = instance.gates.settings === "config-file" ? (chromadb.maxPayloadSizeBytes ?? 41943040) : 0;
  const authMaps = !auth
    ? "# No auth (chromadb.auth.enabled: false): the proxy serves TLS only."
    : basic
      ? `map $request_method $chroma_auth_realm {\n    OPTIONS off;\n    default "chroma";\n  }`
      : `# Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).\n  include ${proxyFiles.tokenConf};\n  map $request_method $chroma_preflight {\n    OPTIONS 1;\n    default 0;\n  }`;
  const authRules = !auth
    ? "      # no auth"
    : basic
      ? `      auth_basic $chroma_auth_realm;\n      auth_basic_user_file ${paths.htpasswdFile};`
      : `      set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";\n      if ($chroma_allowed = "00") {\n        return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';\n      }`;
  const role = [auth && "authenticates", instance.tls && "serves TLS"].filter(Boolean).join(" and ");
  return `# Rendered by chroma-mod for instance ${instance.name}: ${role} in front of Chroma ${instance.version}.
worker_processes 1;
pid ${proxyFiles.runDir}/nginx.pid;
error_log stderr notice;
events {
  worker_connections 1024;
}
http {
  access_log off;
  server_tokens off;
  client_body_temp_path ${proxyFiles.runDir}/client_body;
  proxy_temp_path ${proxyFiles.runDir}/proxy;
  fastcgi_temp_path ${proxyFiles.runDir}/fastcgi;
  uwsgi_temp_path ${proxyFiles.runDir}/uwsgi;
  scgi_temp_path ${proxyFiles.runDir}/scgi;
  client_max_body_size ${bodyLimit};
  default_type application/json;
  ${authMaps}
  server {
    listen ${chromadb.serverHttpPort}${instance.tls ? ` ssl;\n${tlsDirectives()}` : ";"}
    proxy_http_version 1.1;
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_buffering off;
    proxy_read_timeout 300s;
    location = /proxy-health {
      return 200 '{"status":"ok"}\\n';
    }
    location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
      proxy_pass ${upstream};
    }
    location / {
${authRules}
      proxy_pass ${upstream};
    }
  }
}
`;
}

/**
 * The token check, as an awk program reading `od -An -v -tx1` of the token (one hex pair per byte).
 *
 * Why this shape: nginx compares plain map keys case-insensitively, so the check is a regex (`~`, case-sensitive).
 * Putting the token itself in a regex makes its bytes syntax (`+`, `.*`, `"`, `;` …). Here every byte becomes a
 * `\xHH` escape, so a pattern holds only `[A-Za-z0-9\\(?)^.{}]` and matches exactly the bytes of the token, nothing
 * else (nginx compiles map regexes without UTF mode: `\xHH` is one byte). A long token is split into chunks (nginx
 * refuses a config parameter of 4096 characters): chunk k matches `^<prefix>.{offset_k}<chunk k bytes>` and the
 * last one ends with `\z`, so the header equals prefix + token iff every chunk matches; a final map requires all
 * of them. A byte that cannot be in a header value (a control character; a space at either end, which HTTP
 * strips) or an empty or over-long token stops the container with the reason, never echoing the token.
 */
function tokenCheckAwk(instance: Instance): string {
  const bearer = tokenHeaderOf(instance) === "Authorization";
  const variable = bearer ? "$http_authorization" : "$http_x_chroma_token";
  const fix = `Fix: put a token of 1 to ${maxTokenBytes} bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it.`;
  return `${tokenBytesAwk(instance, "chroma-mod auth proxy", fix)}
  if (n > ${maxTokenBytes}) fail("is " n " bytes long; the proxy accepts at most ${maxTokenBytes}")
  for (i = 1; i <= n; i++) {
    if (b[i] < "20" || b[i] == "7f") {
      hint = (i == n && b[i] == "0a") ? "${trailingNewlineHint}" : ""
      fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
    }
  }
  if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
  all = ""
  ones = ""
  k = 0
  for (start = 1; start <= n; start += ${tokenChunkBytes}) {
    k++
    re = "(?s)^${bearer ? "Bearer\\\\x20" : ""}"
    if (start > 1) re = re ".{" (start - 1) "}"
    for (i = start; i < start + ${tokenChunkBytes} && i <= n; i++) re = re "\\\\x" b[i]
    if (i > n) re = re "\\\\z"
    printf "map ${variable} $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
    all = all "$chroma_token_" k
    ones = ones "1"
  }
  printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
}`;
}

/** The sidecar's start script (POSIX sh, od and awk: Debian's and Alpine's busybox alike): check the credentials, then exec nginx. */
export function proxyStartScript(instance: Instance): string {
  const basic = instance.values.chromadb.auth.type === "basic";
  const check = !instance.proxyAuth
    ? "# No auth: no credentials to check."
    : basic
      ? htpasswdCheck(instance, "proxy")
      : `printf '%s' "$${proxyTokenEnv}" | od -An -v -tx1 | awk '\n${tokenCheckAwk(instance)}\n' > ${proxyFiles.tokenConf}`;
  return `# Rendered by chroma-mod for instance ${instance.name}: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
set -eu
mkdir -p ${proxyFiles.runDir}
${check}
exec nginx -e stderr -c ${paths.proxyDir}/${proxyFiles.conf} -g 'daemon off;'
`;
}
