/** Auth: the env each Chroma generation reads, the credentials Secret the engine generates once. */
import { KEEP_ANNOTATION, type GeneratedSecret, type SecretValueSource } from "../../core/types.ts";
import { metadataFor, type Instance } from "../instance.ts";
import { paths } from "./config.ts";
import { tokenHeaderOf } from "./proxy.ts";

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: Record<string, unknown>;
}

/** Secret keys, the same for generated and bring-your-own Secrets. */
export const authKeys = { token: "token", username: "username", password: "password", htpasswd: "htpasswd" } as const;

const secretRef = (secret: string, key: string) => ({ secretKeyRef: { name: secret, key } });

/** The auth env of the Chroma container: 0.x servers check the credentials again behind the proxy; 1.x has no auth of its own. */
export function authEnv(instance: Instance): EnvVar[] {
  const { auth } = instance.values.chromadb;
  const secret = instance.names.authSecret;
  if (!secret || !instance.serverAuth) return [];
  const header = tokenHeaderOf(instance);
  if (auth.type === "basic") {
    if (instance.gates.basicAuth === "auth-provider") {
      return [
        { name: "CHROMA_SERVER_AUTH_PROVIDER", value: "chromadb.auth.basic.BasicAuthServerProvider" },
        { name: "CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER", value: "chromadb.auth.providers.HtpasswdFileServerAuthCredentialsProvider" },
        { name: "CHROMA_SERVER_AUTH_CREDENTIALS_FILE", value: paths.htpasswdFile },
      ];
    }
    return [
      { name: "CHROMA_SERVER_AUTHN_PROVIDER", value: "chromadb.auth.basic_authn.BasicAuthenticationServerProvider" },
      { name: "CHROMA_SERVER_AUTHN_CREDENTIALS_FILE", value: paths.htpasswdFile },
    ];
  }
  if (instance.gates.tokenAuth === "auth-provider") {
    return [
      { name: "CHROMA_SERVER_AUTH_PROVIDER", value: "chromadb.auth.token.TokenAuthServerProvider" },
      { name: "CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER", value: "chromadb.auth.token.TokenConfigServerAuthCredentialsProvider" },
      { name: "CHROMA_SERVER_AUTH_CREDENTIALS", valueFrom: secretRef(secret, authKeys.token) },
      { name: "CHROMA_SERVER_AUTH_TOKEN_TRANSPORT_HEADER", value: header === "Authorization" ? "AUTHORIZATION" : "X_CHROMA_TOKEN" },
    ];
  }
  const byName = instance.gates.tokenAuth === "authn-header-name";
  return [
    { name: "CHROMA_SERVER_AUTHN_PROVIDER", value: "chromadb.auth.token_authn.TokenAuthenticationServerProvider" },
    { name: "CHROMA_SERVER_AUTHN_CREDENTIALS", valueFrom: secretRef(secret, authKeys.token) },
    { name: "CHROMA_AUTH_TOKEN_TRANSPORT_HEADER", value: byName ? (header === "Authorization" ? "AUTHORIZATION" : "X_CHROMA_TOKEN") : header },
  ];
}

/** Whether the htpasswd key is mounted as a file (basic auth, by the server on 0.x or by the proxy on 1.x). */
export function mountsHtpasswd(instance: Instance): boolean {
  return instance.names.authSecret !== undefined && instance.values.chromadb.auth.type === "basic";
}

/** The credentials Secret the engine creates once (never when the user brings their own). */
export function authSecret(instance: Instance): GeneratedSecret | undefined {
  const { auth } = instance.values.chromadb;
  if (!auth.enabled || auth.existingSecret) return undefined;
  const metadata = metadataFor(instance, instance.names.authSecret!, { annotations: { [KEEP_ANNOTATION]: "true" } });
  const generate: Record<string, SecretValueSource> =
    auth.type === "basic"
      ? {
          [authKeys.username]: { value: auth.basic.username },
          [authKeys.password]: { random: { length: 24 } },
          [authKeys.htpasswd]: { htpasswd: { usernameKey: authKeys.username, passwordKey: authKeys.password } },
        }
      : { [authKeys.token]: { random: { length: 32 } } };
  return { metadata: { ...metadata, namespace: instance.namespace }, type: "Opaque", generate };
}
