import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect, type AddressInfo } from "node:net";

/** A bare node:http server on a free port running `handle`, for the HTTP collaborators' tests. */
export async function serve(
  handle: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/**
 * Sends raw bytes over one connection and returns everything the server sent until it closed;
 * `leave`: the client closes the connection itself after its last write.
 */
export function rawExchange(url: string, parts: (string | Buffer)[], gapMs = 0, leave = false): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve) => {
    let got = "";
    const socket = connect(Number(u.port), u.hostname, async () => {
      for (const p of parts) {
        if (socket.destroyed) break;
        socket.write(p);
        if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
      }
      if (leave) setTimeout(() => socket.destroy(), 20);
    });
    socket.on("data", (d: Buffer) => (got += d.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => resolve(got));
  });
}
