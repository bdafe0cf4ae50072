/**
 * `--metrics-port`: GET /metrics answers with the current snapshot in Prometheus text format; every other path is
 * 404. The snapshot is taken per request, so the endpoint always shows the live numbers.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type MetricsSnapshot, prometheusText } from "./prometheus-text.ts";

export interface MetricsServer {
  /** The bound port (useful when 0 asked for any free port). */
  readonly port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(
  port: number,
  host: string,
  snapshot: () => MetricsSnapshot,
): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found; metrics are at /metrics\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("use GET\n");
      return;
    }
    let body: string;
    try {
      body = prometheusText(snapshot());
    } catch (err) {
      res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end(`${(err as Error).message}\n`);
      return;
    }
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err) => {
      reject(new Error(`metrics server on ${host}:${port}: ${err.message}`, { cause: err }));
    });
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
