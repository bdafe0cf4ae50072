/**
 * A rule's schedule as Kibana runs it: every `interval`, over the window [now - look-back, now], inclusive at both
 * ends, on the rule's primary timestamp (`timestamp_override`) with `@timestamp` as the fallback for documents that
 * lack it. Scan replays this on event time: ticks at multiples of the interval, from the first event to the last.
 */
import { type Document, fieldValues } from "../doc/document.ts";

export interface ScheduledRule {
  intervalMs: number;
  lookbackMs: number;
  timestampOverride?: string;
  timestampOverrideFallbackDisabled?: boolean;
}

export interface Execution {
  /** The tick: when the execution runs, and NOW() inside the query. */
  startedAt: number;
  from: number;
  to: number;
}

export function executionAt(tick: number, rule: ScheduledRule): Execution {
  return { startedAt: tick, from: tick - rule.lookbackMs, to: tick };
}

/** The first tick at or after `t`. */
export function tickAtOrAfter(t: number, intervalMs: number): number {
  return Math.ceil(t / intervalMs) * intervalMs;
}

/**
 * The time a rule's window filter sees for a document: the primary timestamp if the document has it, otherwise
 * `@timestamp` (unless the rule disabled the fallback). Undefined: no execution can ever select the document.
 */
export function windowTime(doc: Document, rule: ScheduledRule): number | undefined {
  const primary = rule.timestampOverride ?? "@timestamp";
  const own = firstDate(doc, primary);
  if (own !== undefined || !rule.timestampOverride || rule.timestampOverrideFallbackDisabled) return own;
  return firstDate(doc, "@timestamp");
}

function firstDate(doc: Document, field: string): number | undefined {
  for (const v of fieldValues(doc, field)) {
    const t = typeof v === "number" ? v : typeof v === "string" ? Date.parse(v) : Number.NaN;
    if (Number.isFinite(t)) return t;
  }
  return undefined;
}
