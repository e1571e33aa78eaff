"""The official Python client of one Chroma version, configured the way users of that version configure auth.

    <venv>/bin/python test/chroma/clients/py_client.py '<json>'

<json>: {"host": "127.0.0.1", "port": 8000, "steps": [step, ...]}
step:   {"name": str, "op": "crud" | "write" | "read" | "reset" | "heartbeat", "collection": str,
         "auth": null | {"kind": "token", "header": "Authorization" | "X-Chroma-Token", "token": str}
                      | {"kind": "basic", "username": str, "password": str}}

Prints one JSON object: {"version": chromadb.__version__, "steps": [{"name", "ok", "result" | "error"}, ...]}.
Each step uses a fresh client (and a cleared client cache), so a wrong-credentials step never reuses a right one.
Client-side telemetry is off in every step (tests must not phone home).
"""
import json
import sys
import traceback

import chromadb
from chromadb.config import Settings

VERSION = tuple(int(p) for p in chromadb.__version__.split(".")[:3])


def auth_settings(auth):
    """Client Settings for auth, per client generation (as each version's docs tell users to write them)."""
    if auth is None:
        return {}
    if auth["kind"] == "basic":
        provider = (
            "chromadb.auth.basic.BasicAuthClientProvider"
            if VERSION < (0, 5, 0)
            else "chromadb.auth.basic_authn.BasicAuthClientProvider"
        )
        return {
            "chroma_client_auth_provider": provider,
            "chroma_client_auth_credentials": f"{auth['username']}:{auth['password']}",
        }
    header = auth["header"]
    enum_name = "AUTHORIZATION" if header == "Authorization" else "X_CHROMA_TOKEN"
    if VERSION < (0, 5, 0):
        # 0.4.8-0.4.24: chromadb.auth.token, header by enum NAME in chroma_client_auth_token_transport_header.
        return {
            "chroma_client_auth_provider": "chromadb.auth.token.TokenAuthClientProvider",
            "chroma_client_auth_credentials": auth["token"],
            "chroma_client_auth_token_transport_header": enum_name,
        }
    # 0.5.0: header by enum NAME; 0.5.1+: by header VALUE, in chroma_auth_token_transport_header.
    return {
        "chroma_client_auth_provider": "chromadb.auth.token_authn.TokenAuthClientProvider",
        "chroma_client_auth_credentials": auth["token"],
        "chroma_auth_token_transport_header": enum_name if VERSION == (0, 5, 0) else header,
    }


def clear_cache():
    try:
        from chromadb.api.client import SharedSystemClient

        SharedSystemClient.clear_system_cache()
    except (ImportError, AttributeError):
        pass  # 0.4.x before the shared-system cache: every HttpClient builds its own System


def client_for(host, port, auth, tls):
    clear_cache()
    verify = {}
    fields = getattr(Settings, "model_fields", None) or getattr(Settings, "__fields__", {})
    if tls and "chroma_server_ssl_verify" in fields:
        verify = {"chroma_server_ssl_verify": tls["ca"]}  # 0.4.8 has no such setting: REQUESTS_CA_BUNDLE (set by the harness)
    settings = Settings(anonymized_telemetry=False, **auth_settings(auth), **verify)
    return chromadb.HttpClient(host=host, port=str(port), ssl=bool(tls), settings=settings)


def op_write(client, name):
    col = client.create_collection(name=name, embedding_function=None)
    col.add(
        ids=["a", "b", "c"],
        embeddings=[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        metadatas=[{"k": "a"}, {"k": "b"}, {"k": "c"}],
        documents=["alpha", "beta", "gamma"],
    )
    return col


def op_query(col):
    res = col.query(query_embeddings=[[0.9, 0.1, 0.0]], n_results=2)
    return {"count": col.count(), "nearest": res["ids"][0]}


def run_step(host, port, step, tls):
    client = client_for(host, port, step.get("auth"), tls)
    op = step["op"]
    name = step.get("collection", "chroma_mod_test")
    if op == "heartbeat":
        return {"heartbeat": client.heartbeat()}
    if op == "crud":
        col = op_write(client, name)
        out = op_query(col)
        client.delete_collection(name=name)
        return out
    if op == "write":
        return op_query(op_write(client, name))
    if op == "read":
        try:
            col = client.get_collection(name=name, embedding_function=None)
        except Exception as e:  # noqa: BLE001 - "does not exist" differs per version
            return {"exists": False, "why": repr(e)}
        return {"exists": True, **op_query(col)}
    if op == "reset":
        return {"reset": client.reset()}
    raise ValueError(f"unknown op {op}")


def main():
    spec = json.loads(sys.argv[1])
    out = []
    for step in spec["steps"]:
        try:
            out.append({"name": step["name"], "ok": True, "result": run_step(spec["host"], spec["port"], step, spec.get("tls"))})
        except Exception as e:  # noqa: BLE001 - the test reads the error text
            out.append(
                {"name": step["name"], "ok": False, "error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()[-2000:]}
            )
    print(json.dumps({"version": chromadb.__version__, "steps": out}))


main()
