/**
 * Where alerts go. Delivery to remote sinks runs from a persisted outbox so an alert survives a receiver that is down
 * and a restart of trailwatch; `OutboxStore` is that persistence (the DuckDB store implements it, tests use memory).
 */
import type { AlertDocument } from "../build.ts";

export interface Sink {
  /** Unique among the configured sinks, stable across restarts (the outbox is keyed by it), e.g. `webhook:https://…`. */
  readonly name: string;
  /** Throws when the alert was not accepted; the outbox retries later with backoff. */
  deliver(alert: AlertDocument, alertId: string): Promise<void>;
  close?(): Promise<void>;
}

export interface OutboxEntry {
  sink: string;
  alertId: string;
  alert: AlertDocument;
  attempts: number;
  /** Epoch ms before which no new attempt is made. */
  nextAttemptAt: number;
}

export interface OutboxStore {
  /** Entries of this sink due at `now`, oldest alert first. */
  due(sink: string, now: number, limit: number): Promise<OutboxEntry[]>;
  delivered(sink: string, alertId: string): Promise<void>;
  failed(sink: string, alertId: string, nextAttemptAt: number, error: string): Promise<void>;
}
