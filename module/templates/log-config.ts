/** The uvicorn/Python logging config shipped with the module for 0.x servers: plain lines to stdout. */
export const defaultLogConfig = `version: 1
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
  level: WARNING
  handlers: [console]
loggers:
  chromadb:
    level: INFO
  uvicorn:
    level: INFO
  uvicorn.access:
    level: WARNING
`;
