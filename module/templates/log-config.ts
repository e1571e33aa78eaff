/** The levels of the module's log config: its defaults, or `chromadb.logging` (the Helm chart's levels). */
export interface LogLevels {
  readonly root?: string | undefined;
  readonly chromadb?: string | undefined;
  readonly uvicorn?: string | undefined;
}

/** The uvicorn/Python logging config shipped with the module for 0.x servers: plain lines to stdout. */
export function moduleLogConfig(levels: LogLevels = {}): string {
  return `version: 1
disable_existing_loggers: false
formatters:
  default:
    format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
handlers:
  console:
    class: logging.StreamHandler
    formatter: default
    stream: ext://sys.stdout
root:
  level: ${levels.root ?? "WARNING"}
  handlers: [console]
loggers:
  chromadb:
    level: ${levels.chromadb ?? "INFO"}
  uvicorn:
    level: ${levels.uvicorn ?? "INFO"}
  uvicorn.access:
    level: WARNING
`;
}
