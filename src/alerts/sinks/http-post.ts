/** One JSON POST to a webhook receiver, failing on a non-2xx answer, a network error or a timeout. */
import { RejectedDeliveryError } from "./delivery-error.ts";

export const DEFAULT_TIMEOUT_MS = 10_000;

export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<void> {
  const where = redactUrl(url);
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "trailwatch", ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const reason = e.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message);
    throw new Error(`POST ${where}: ${reason}`, { cause: err });
  }
  const text = (await response.text()).slice(0, 200);
  if (response.ok) return;
  const message = `POST ${where}: HTTP ${response.status}${text ? ` ${JSON.stringify(text)}` : ""}`;
  const retriable = response.status >= 500 || response.status === 408 || response.status === 429;
  throw retriable ? new Error(message) : new RejectedDeliveryError(message);
}

/** Webhook URLs carry secrets (Slack's path is the token, others put it in the query): show only the start. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const [first] = parsed.pathname.split("/").filter(Boolean);
    return `${parsed.origin}${first ? `/${first}/…` : "/"}`;
  } catch {
    return "(invalid URL)";
  }
}
