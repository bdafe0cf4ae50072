/**
 * Delivers what the outbox holds for each sink, oldest first, with exponential backoff per alert (base 1 s, doubling,
 * capped at 10 min, with jitter). When a receiver fails (network error, timeout, 5xx), the rest of that sink's due
 * alerts are deferred along with it instead of each being tried against a receiver that is down: they share its
 * backoff, so an outage costs one request per backoff step, and everything goes out once it recovers. A refused alert
 * (4xx) is retried later on its own while the others proceed, so one bad alert cannot block a sink.
 */
import { RejectedDeliveryError } from "./delivery-error.ts";
import type { OutboxEntry, OutboxStore, Sink } from "./sink.ts";

export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  /** Returns [0, 1); the delay is scaled into [½, 1] of its nominal value. Default `Math.random`. */
  random?: () => number;
}

export interface DeliveryOptions extends BackoffOptions {
  /** Most entries taken per sink per call; default 100. */
  limit?: number;
  /** Every failed attempt, for the status output. */
  onFailure?: (sink: string, alertId: string, error: string, nextAttemptAt: number) => void;
}

export interface DeliveryResult {
  delivered: number;
  failed: number;
}

export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_CAP_MS = 10 * 60_000;

/** Delay before attempt number `attempts + 1`, after `attempts` failed ones (≥ 1). */
export function backoffDelay(attempts: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? BACKOFF_BASE_MS;
  const cap = options.capMs ?? BACKOFF_CAP_MS;
  const nominal = Math.min(cap, base * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
  const random = (options.random ?? Math.random)();
  return Math.round(nominal / 2 + (nominal / 2) * random);
}

export async function deliverDue(
  store: OutboxStore,
  sinks: Sink[],
  now: number,
  options: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const result: DeliveryResult = { delivered: 0, failed: 0 };
  for (const sink of sinks) {
    const entries = await store.due(sink.name, now, options.limit ?? 100);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      try {
        await sink.deliver(entry.alert, entry.alertId);
        await store.delivered(sink.name, entry.alertId);
        result.delivered++;
      } catch (err) {
        const error = (err as Error).message;
        await recordFailure(store, sink.name, entry, now, error, options);
        result.failed++;
        if (err instanceof RejectedDeliveryError) continue;
        for (const waiting of entries.slice(i + 1)) {
          // The sink name may hold a webhook secret; the error already names the receiver, redacted.
          await recordFailure(store, sink.name, waiting, now, `not attempted, receiver failing: ${error}`, options);
        }
        break;
      }
    }
  }
  return result;
}

async function recordFailure(
  store: OutboxStore,
  sink: string,
  entry: OutboxEntry,
  now: number,
  error: string,
  options: DeliveryOptions,
) {
  const nextAttemptAt = now + backoffDelay(entry.attempts + 1, options);
  await store.failed(sink, entry.alertId, nextAttemptAt, error);
  options.onFailure?.(sink, entry.alertId, error, nextAttemptAt);
}
