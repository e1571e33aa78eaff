/**
 * The authenticating nginx sidecar for Chroma 1.x, which has no built-in auth. It accepts the same credentials
 * the 0.x servers did (token in `Authorization: Bearer` or `X-Chroma-Token`, or HTTP basic), leaves the health
 * and version paths open for probes, lets CORS preflights through, and proxies to Chroma on loopback.
 */
import type { Instance } from "../instance.ts";

/** The env var the token is substituted from at container start (envsubst), from the auth Secret. */
export const proxyTokenEnv = "CHROMA_AUTH_TOKEN";

/** Header names as the auth values spell them (the chart's spellings are accepted). */
export function tokenHeaderOf(instance: Instance): "Authorization" | "X-Chroma-Token" {
  return instance.values.chromadb.auth.token.tokenHeader.toLowerCase() === "authorization" ? "Authorization" : "X-Chroma-Token";
}

export function nginxTemplate(instance: Instance): string {
  const { chromadb, proxy } = instance.values;
  const upstream = `http://127.0.0.1:${proxy.upstreamPort}`;
  const basic = chromadb.auth.type === "basic";
  const bodyLimit = chromadb.maxPayloadSizeBytes ?? 41943040;
  // Regex keys: nginx compares plain map keys case-insensitively, a "~" regex case-sensitively. Tokens are
  // [A-Za-z0-9] when generated; a brought token must be regex-safe ([A-Za-z0-9_-]).
  const tokenCheck =
    tokenHeaderOf(instance) === "Authorization"
      ? `map $http_authorization $chroma_credentials_ok {\n    default 0;\n    "~^Bearer \${${proxyTokenEnv}}$" 1;\n  }`
      : `map $http_x_chroma_token $chroma_credentials_ok {\n    default 0;\n    "~^\${${proxyTokenEnv}}$" 1;\n  }`;
  // An empty token makes the two keys equal: nginx refuses to start instead of accepting an empty header.
  const emptyTokenGuard = `map $host $chroma_token_guard {\n    "" 0;\n    "\${${proxyTokenEnv}}" 0;\n  }`;
  const authMaps = basic
    ? `map $request_method $chroma_auth_realm {\n    OPTIONS off;\n    default "chroma";\n  }`
    : `${tokenCheck}\n  ${emptyTokenGuard}\n  map $request_method $chroma_preflight {\n    OPTIONS 1;\n    default 0;\n  }`;
  const authRules = basic
    ? `      auth_basic $chroma_auth_realm;\n      auth_basic_user_file /etc/chroma-auth/htpasswd;`
    : `      set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";\n      if ($chroma_allowed = "00") {\n        return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';\n      }`;
  return `# Rendered by chroma-mod for instance ${instance.name}: authenticates in front of Chroma ${instance.version}.
worker_processes 1;
pid /tmp/nginx/nginx.pid;
error_log stderr notice;
events {
  worker_connections 1024;
}
http {
  access_log off;
  server_tokens off;
  client_body_temp_path /tmp/nginx/client_body;
  proxy_temp_path /tmp/nginx/proxy;
  fastcgi_temp_path /tmp/nginx/fastcgi;
  uwsgi_temp_path /tmp/nginx/uwsgi;
  scgi_temp_path /tmp/nginx/scgi;
  client_max_body_size ${bodyLimit};
  default_type application/json;
  ${authMaps}
  server {
    listen ${chromadb.serverHttpPort};
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

/** The sidecar's start script: substitute the token, then exec nginx in the foreground. */
export function proxyStartScript(): string {
  return `mkdir -p /tmp/nginx && envsubst '\${${proxyTokenEnv}}' < /etc/chroma-proxy/nginx.conf.template > /tmp/nginx/nginx.conf && exec nginx -e stderr -c /tmp/nginx/nginx.conf -g 'daemon off;'`;
}
