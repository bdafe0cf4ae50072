/**
 * A receiver that answered but refused this alert (HTTP 4xx other than 408 and 429). Retrying it at once will not
 * help, but other alerts may still go through, so the outbox moves on to them instead of pausing the whole sink.
 */
export class RejectedDeliveryError extends Error {
  override name = "RejectedDeliveryError";
}
