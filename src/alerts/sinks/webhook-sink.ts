/**
 * A generic webhook: the alert document as a JSON POST body, with `Idempotency-Key: <alert id>` so a receiver can drop
 * the repeat that at-least-once delivery may cause (a crash after the POST, before the outbox recorded it).
 */
import type { AlertDocument } from "../build.ts";
import { postJson } from "./http-post.ts";
import type { Sink } from "./sink.ts";

export class WebhookSink implements Sink {
  readonly name: string;

  constructor(
    private readonly url: string,
    private readonly timeoutMs?: number,
  ) {
    this.name = `webhook:${url}`;
  }

  deliver(alert: AlertDocument, alertId: string): Promise<void> {
    return postJson(this.url, alert, { "idempotency-key": alertId }, this.timeoutMs);
  }
}
