/**
 * `--sink` values: `stdout` (readable table), `stdout:ndjson`, `file:PATH` (NDJSON, appended), `webhook:URL` (JSON
 * POST) and `slack:URL` (a Slack incoming webhook).
 */
import { FileSink } from "./file-sink.ts";
import { redactUrl } from "./http-post.ts";
import type { Sink } from "./sink.ts";
import { SlackSink } from "./slack-sink.ts";
import { StdoutSink } from "./stdout-sink.ts";
import { WebhookSink } from "./webhook-sink.ts";

/** A `--sink` value that names no sink; the message says what is expected. */
export class SinkSpecError extends Error {
  override name = "SinkSpecError";
}

const FORMS = "stdout, stdout:ndjson, file:PATH, webhook:https://… or slack:https://hooks.slack.com/…";

export interface SinkOptions {
  /** Where stdout sinks write; default process.stdout. */
  write?: (text: string) => void;
  /** HTTP timeout for webhook and Slack sinks; default 10 s. */
  timeoutMs?: number;
}

export function parseSink(spec: string, options: SinkOptions = {}): Sink {
  const colon = spec.indexOf(":");
  const kind = colon < 0 ? spec : spec.slice(0, colon);
  const rest = colon < 0 ? "" : spec.slice(colon + 1);
  switch (kind) {
    case "stdout":
      if (rest === "" || rest === "table") return new StdoutSink("table", options.write);
      if (rest === "ndjson") return new StdoutSink("ndjson", options.write);
      throw new SinkSpecError(`--sink ${spec}: stdout takes "table" or "ndjson", not "${rest}"`);
    case "file":
      if (!rest) throw new SinkSpecError(`--sink ${spec}: file needs a path, e.g. file:alerts.ndjson`);
      return new FileSink(rest);
    case "webhook":
      return new WebhookSink(httpUrl(spec, rest, "webhook:https://receiver.example/alerts"), options.timeoutMs);
    case "slack":
      return new SlackSink(httpUrl(spec, rest, "slack:https://hooks.slack.com/services/…"), options.timeoutMs);
    default:
      throw new SinkSpecError(`--sink ${spec}: unknown sink "${kind}"; use ${FORMS}`);
  }
}

/** Several `--sink` values; the same sink twice is refused, since the outbox keys deliveries by sink name. */
export function parseSinks(specs: string[], options: SinkOptions = {}): Sink[] {
  const sinks = specs.map((spec) => parseSink(spec, options));
  const names = new Set<string>();
  for (const sink of sinks) {
    if (names.has(sink.name)) throw new SinkSpecError(`--sink ${sink.name} is given twice`);
    names.add(sink.name);
  }
  return sinks;
}

function httpUrl(spec: string, url: string, example: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SinkSpecError(`--sink ${spec}: "${url}" is not a URL; expected e.g. ${example}`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new SinkSpecError(`--sink ${spec}: only http(s) URLs can receive alerts, e.g. ${example}`);
  }
  return url;
}

/**
 * A sink name fit for logs and metrics labels: webhook and Slack URLs carry secrets (Slack's path is the token), so
 * only their origin and first path segment are shown.
 */
export function displaySinkName(name: string): string {
  const match = /^(webhook|slack):(.*)$/.exec(name);
  return match ? `${match[1]}:${redactUrl(match[2])}` : name;
}
