/** An in-memory OutboxStore: for tests, and for sinks whose alerts need not survive a restart. */
import type { AlertDocument } from "../build.ts";
import type { OutboxEntry, OutboxStore } from "./sink.ts";

export class MemoryOutbox implements OutboxStore {
  /** Pending entries in the order they were added; delivered ones are removed. */
  private readonly entries: (OutboxEntry & { lastError?: string })[] = [];

  add(sink: string, alertId: string, alert: AlertDocument, now: number): void {
    if (this.entries.some((e) => e.sink === sink && e.alertId === alertId)) return;
    this.entries.push({ sink, alertId, alert, attempts: 0, nextAttemptAt: now });
  }

  async due(sink: string, now: number, limit: number): Promise<OutboxEntry[]> {
    return this.entries
      .filter((e) => e.sink === sink && e.nextAttemptAt <= now)
      .slice(0, limit)
      .map((e) => ({ ...e }));
  }

  async delivered(sink: string, alertId: string): Promise<void> {
    const index = this.entries.findIndex((e) => e.sink === sink && e.alertId === alertId);
    if (index >= 0) this.entries.splice(index, 1);
  }

  async failed(sink: string, alertId: string, nextAttemptAt: number, error: string): Promise<void> {
    const entry = this.entries.find((e) => e.sink === sink && e.alertId === alertId);
    if (!entry) return;
    entry.attempts++;
    entry.nextAttemptAt = nextAttemptAt;
    entry.lastError = error;
  }

  /** Entries not yet delivered, with their attempts and last error. */
  pending(): readonly (OutboxEntry & { lastError?: string })[] {
    return this.entries;
  }

  /** When the next entry becomes due, or undefined when the outbox is empty. */
  nextDueAt(): number | undefined {
    return this.entries.length ? Math.min(...this.entries.map((e) => e.nextAttemptAt)) : undefined;
  }
}
