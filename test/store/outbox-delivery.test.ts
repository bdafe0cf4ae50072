/**
 * The DuckDB outbox behind real delivery: a webhook receiver on loopback that is down for a while (and across a
 * restart of trailwatch) still gets every alert exactly once after it recovers. Time is injected into deliverDue.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { deliverDue } from "../../src/alerts/sinks/outbox-delivery.ts";
import { WebhookSink } from "../../src/alerts/sinks/webhook-sink.ts";
import { StateStore } from "../../src/store/state-store.ts";

test("a webhook that fails for an hour, across a restart, receives every alert exactly once afterwards", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "tw-outbox-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let up = false;
  const received: string[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      if (!up) return void res.writeHead(503).end();
      received.push(String(JSON.parse(body)["kibana.alert.uuid"]));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => server.close());
  const sink = new WebhookSink(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);

  let store = await StateStore.open(dir);
  const alerts = ["A", "B", "C"].map((id) => ({ id, ruleId: "r", execution: 0, alert: { "kibana.alert.uuid": id }, executions: 1 }));
  await store.commitExecution(
    { ruleId: "r", tick: 0, from: 0, to: 0, candidates: 3, alerts, alertedSources: [], finishedAt: 0 },
    [sink.name],
  );
  const options = { random: () => 0 };
  let now = 0;
  for (; now < 30 * 60_000; now += 60_000) await deliverDue(store, [sink], now, options);
  await store.close();
  // trailwatch restarts; the receiver comes back half an hour later.
  store = await StateStore.open(dir);
  for (; now < 60 * 60_000; now += 60_000) await deliverDue(store, [sink], now, options);
  up = true;
  for (; now < 90 * 60_000; now += 60_000) await deliverDue(store, [sink], now, options);
  assert.deepEqual(received, ["A", "B", "C"]);
  assert.deepEqual([...(await store.undelivered())], []);
  await store.close();
});
