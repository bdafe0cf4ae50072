import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { RejectedDeliveryError } from "../../../src/alerts/sinks/delivery-error.ts";
import { MemoryOutbox } from "../../../src/alerts/sinks/memory-outbox.ts";
import { backoffDelay, deliverDue } from "../../../src/alerts/sinks/outbox-delivery.ts";
import type { Sink } from "../../../src/alerts/sinks/sink.ts";
import { WebhookSink } from "../../../src/alerts/sinks/webhook-sink.ts";
import { eventAlert } from "./alert-fixtures.ts";
import { startReceiver } from "./http-receiver.ts";

const T0 = Date.parse("2026-11-21T12:00:00Z");
const middle = () => 0.5;

/** The watch loop's part, with time injected: deliver what is due, then jump to when the next entry is due. */
async function drain(outbox: MemoryOutbox, sinks: Sink[], start: number, setClock: (t: number) => void = () => {}) {
  let now = start;
  for (let round = 0; round < 1000 && outbox.nextDueAt() !== undefined; round++) {
    now = Math.max(now, outbox.nextDueAt() ?? now);
    setClock(now);
    await deliverDue(outbox, sinks, now, { random: middle });
  }
  return now;
}

function countKeys(requests: { headers: Record<string, unknown>; status: number }[]) {
  const counts = new Map<string, number>();
  for (const r of requests) {
    if (r.status !== 200) continue;
    const key = String(r.headers["idempotency-key"]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

test("a webhook failing its first 7 requests with 503 gets every alert exactly once", async () => {
  const receiver = await startReceiver((n) => (n <= 7 ? 503 : 200));
  try {
    const sink = new WebhookSink(receiver.url);
    const outbox = new MemoryOutbox();
    const ids = Array.from({ length: 5 }, (_, i) => `alert-${i}`);
    for (const id of ids) outbox.add(sink.name, id, eventAlert(id), T0);
    await drain(outbox, [sink], T0);
    assert.deepEqual(outbox.pending(), []);
    assert.deepEqual([...countKeys(receiver.requests).entries()].sort(), ids.map((id) => [id, 1]));
    // While the receiver was down, the other due alerts waited with the failing one instead of each being tried.
    assert.equal(receiver.requests.length, 7 + ids.length);
    const delivered = receiver.requests.filter((r) => r.status === 200);
    assert.deepEqual(
      delivered.map((r) => JSON.parse(r.body)["kibana.alert.uuid"]),
      ids,
      "oldest alert first",
    );
    assert.equal(delivered[0].headers["content-type"], "application/json");
    assert.equal(delivered[0].method, "POST");
    assert.equal(delivered[0].headers["user-agent"], "trailwatch");
  } finally {
    await receiver.close();
  }
});

test("a receiver down for an hour gets every alert afterwards, within one capped backoff of its recovery", async () => {
  let clock = T0;
  const recovery = T0 + 3600_000;
  const receiver = await startReceiver(() => (clock < recovery ? 503 : 200));
  try {
    const sink = new WebhookSink(receiver.url);
    const outbox = new MemoryOutbox();
    const ids = Array.from({ length: 20 }, (_, i) => `a${i}`);
    for (const id of ids) outbox.add(sink.name, id, eventAlert(id), T0);
    let raisedDuringOutage = false;
    const end = await drain(outbox, [sink], T0, (t) => {
      clock = t;
      if (t > T0 + 1800_000 && !raisedDuringOutage) {
        raisedDuringOutage = true;
        outbox.add(sink.name, "late", eventAlert("late"), t);
      }
    });
    assert.deepEqual(outbox.pending(), []);
    const counts = countKeys(receiver.requests);
    assert.deepEqual([...counts.keys()].sort(), [...ids, "late"].sort());
    assert.deepEqual(new Set(counts.values()), new Set([1]), "each alert delivered once");
    assert.ok(end <= recovery + 10 * 60_000, `all delivered by ${new Date(end).toISOString()}`);
    const failures = receiver.requests.filter((r) => r.status === 503).length;
    assert.ok(failures < 30, `${failures} requests during the outage: backoff, not hammering`);
  } finally {
    await receiver.close();
  }
});

test("an alert the receiver refuses (4xx) is retried on its own; the others are delivered", async () => {
  const receiver = await startReceiver((_, body) => (JSON.parse(body)["kibana.alert.uuid"] === "bad" ? 400 : 200));
  try {
    const sink = new WebhookSink(receiver.url);
    const outbox = new MemoryOutbox();
    for (const id of ["bad", "good-1", "good-2"]) outbox.add(sink.name, id, eventAlert(id), T0);
    const result = await deliverDue(outbox, [sink], T0, { random: middle });
    assert.deepEqual(result, { delivered: 2, failed: 1 });
    const [left] = outbox.pending();
    assert.equal(left.alertId, "bad");
    assert.equal(left.attempts, 1);
    assert.equal(left.nextAttemptAt, T0 + backoffDelay(1, { random: middle }));
    assert.match(left.lastError ?? "", /^POST http:\/\/127\.0\.0\.1:\d+\/hooks\/…: HTTP 400 "unavailable"$/);
  } finally {
    await receiver.close();
  }
});

test("a network error fails the delivery with the receiver named and its secret path hidden", async () => {
  const receiver = await startReceiver(() => 200);
  await receiver.close();
  const sink = new WebhookSink(receiver.url);
  await assert.rejects(sink.deliver(eventAlert("x"), "x"), (err: Error) => {
    assert.match(err.message, /^POST http:\/\/127\.0\.0\.1:\d+\/hooks\/…: ECONNREFUSED$/);
    assert.ok(!(err instanceof RejectedDeliveryError));
    return true;
  });
});

test("a receiver that does not answer in time fails the delivery", async () => {
  const server = createServer(() => {}); // accepts, never answers
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const sink = new WebhookSink(`http://127.0.0.1:${port}/in`, 50);
    const expected = /^Error: POST http:\/\/127\.0\.0\.1:\d+\/in\/…: no answer within 50 ms$/;
    await assert.rejects(sink.deliver(eventAlert("x"), "x"), expected);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test("sinks are independent: one failing does not hold back another", async () => {
  const outbox = new MemoryOutbox();
  const seen: string[] = [];
  const down: Sink = { name: "down", deliver: async () => Promise.reject(new Error("boom")) };
  const up: Sink = { name: "up", deliver: async (_alert, id) => void seen.push(id) };
  for (const sink of ["down", "up"]) outbox.add(sink, "a1", eventAlert("a1"), T0);
  const failures: string[] = [];
  const onFailure = (s: string, id: string, e: string) => failures.push(`${s}/${id}: ${e}`);
  await deliverDue(outbox, [down, up], T0, { random: middle, onFailure });
  assert.deepEqual(seen, ["a1"]);
  assert.deepEqual(failures, ["down/a1: boom"]);
  assert.deepEqual(await outbox.due("down", T0, 10), [], "backed off");
});

test("backoff doubles from 1 s, is capped at 10 min, and jitter keeps it within [½, 1] of nominal", () => {
  const top = () => 0.999999;
  assert.deepEqual(
    [1, 2, 3, 4, 10, 11, 50].map((n) => backoffDelay(n, { random: top })),
    [1000, 2000, 4000, 8000, 512_000, 600_000, 600_000],
  );
  assert.equal(backoffDelay(3, { random: () => 0 }), 2000);
  assert.equal(backoffDelay(1, { baseMs: 10, capMs: 15, random: () => 0 }), 5);
});
