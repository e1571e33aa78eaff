// The process that holds a pod's network namespace (like a pod's pause container) and lets the host reach the
// pod's ports: it listens on a Unix socket (a file, so it is reachable from outside the namespace); each connection
// names a port on its first line ("8000\n") and is then piped to 127.0.0.1:<port> inside the namespace, or closed
// when that port refuses it. With "8000 ack\n", one byte ("+") says the port accepted it before the pipe starts, so
// the host can tell a connection that opened (a tcpSocket probe) from one still opening.
// Started by localcluster/node/sandbox.ts as `unshare --net … -- sh -c 'ip link set lo up && exec node forwarder.mjs SOCKET'`.
import { rmSync } from "node:fs";
import { connect, createServer } from "node:net";

const socketPath = process.argv[2];
if (!socketPath) {
  process.stderr.write("usage: node forwarder.mjs SOCKET\n");
  process.exit(2);
}
rmSync(socketPath, { force: true });

const server = createServer((client) => {
  let head = "";
  const onData = (chunk) => {
    head += chunk.toString("latin1");
    const nl = head.indexOf("\n");
    if (nl < 0) {
      if (head.length > 16) client.destroy();
      return;
    }
    client.off("data", onData);
    client.pause();
    const [portText, flag] = head.slice(0, nl).split(" ");
    const port = Number(portText);
    const ack = flag === "ack";
    const rest = Buffer.from(head.slice(nl + 1), "latin1");
    if (!Number.isInteger(port) || port < 1 || port > 65535 || (flag !== undefined && !ack)) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: "127.0.0.1", port }, () => {
      if (ack) client.write("+");
      if (rest.length > 0) upstream.write(rest);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  };
  client.on("data", onData);
  client.on("error", () => {});
});
server.listen(socketPath, () => process.stdout.write("ready\n"));
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
