/**
 * Elastic's new terms rules: an execution at tick T over (T - look-back, T] alerts once per value tuple of the
 * `new_terms_fields` that a matching document in that window holds and no matching document holds in the history
 * window [T - history_window_start, T - look-back] (Kibana: the term's earliest time over the whole range must be
 * strictly after `from`). The alert is built from the earliest document holding the tuple in the window; its id
 * hashes that document and the tuple (Kibana `wrap_new_terms_alerts.ts`), so overlapping windows find the same id and
 * never alert twice. Each execution creates at most `max_signals` alerts, in the order of the tuples' values (Kibana
 * pages through a composite aggregation, ascending); tuples left over stay new for the next one.
 */
import { createHash } from "node:crypto";
import type { AlertDocument } from "../alerts/build.ts";
import { buildNewTermsAlert, SPACE_ID } from "../alerts/build.ts";
import { type Document, fieldValues, type JsonValue } from "../doc/document.ts";
import type { Schema } from "../doc/schema.ts";
import type { Rule } from "../rules/index.ts";
import { parseDateMath } from "../rules/time.ts";
import { type Candidate, CandidatePlan, type ExecutionAlert, type RuleWarnings } from "./candidate.ts";
import { type Execution, executionAt, tickAtOrAfter, windowTime } from "./schedule.ts";

/** A term as an aggregation bucket key holds it: keyword and ip values as strings, numbers as numbers. */
export type TermValue = string | number | boolean;

/** Kibana's documented cap on the value combinations one document contributes. */
export const MAX_COMBINATIONS_PER_DOCUMENT = 100;

type TermReader = (doc: Document) => TermValue[];

/** Every document holding one tuple, oldest first. */
interface TupleOccurrences {
  tuple: TermValue[];
  holders: Candidate[];
}

/** The plan for a new terms rule, or why it cannot run (fields that cannot be aggregated). */
export function planNewTermsRule(
  rule: Rule,
  matches: (doc: Document) => boolean,
  schema: Schema,
  index: string,
): NewTermsRulePlan | string {
  const spec = rule.newTerms as { fields: string[]; historyWindowStart: string };
  const readers: TermReader[] = [];
  for (const field of spec.fields) {
    const reader = termReader(field, schema);
    if (typeof reader === "string") return `new_terms_fields: ${field} ${reader}`;
    readers.push(reader);
  }
  const historyMs = parseDateMath(spec.historyWindowStart);
  // Kibana refuses such a rule: its history would be empty or inside the window.
  if (historyMs <= rule.lookbackMs) return `history_window_start ${spec.historyWindowStart} must be earlier than from`;
  return new NewTermsRulePlan(rule, matches, readers, historyMs, index);
}

export class NewTermsRulePlan extends CandidatePlan {
  constructor(
    readonly rule: Rule,
    private readonly matches: (doc: Document) => boolean,
    private readonly readers: TermReader[],
    /** How far before the tick the history window starts. */
    readonly historyMs: number,
    private readonly index: string,
  ) {
    super();
  }

  /** A matching document with a window time and at least one tuple (one missing a field holds none). */
  override select(doc: Document, id: string): Candidate | undefined {
    if (!this.matches(doc)) return undefined;
    const time = windowTime(doc, this.rule);
    if (time === undefined || this.tuples(doc).length === 0) return undefined;
    return { time, id, doc };
  }

  /** The value tuples a document holds: every combination of its fields' distinct values, at most 100. */
  tuples(doc: Document): TermValue[][] {
    let combos: TermValue[][] = [[]];
    for (const read of this.readers) {
      const values = read(doc);
      if (values.length === 0) return [];
      const next: TermValue[][] = [];
      for (const combo of combos) {
        for (const v of values) {
          if (next.length === MAX_COMBINATIONS_PER_DOCUMENT) break;
          next.push([...combo, v]);
        }
      }
      combos = next;
    }
    return combos;
  }

  /**
   * One execution over `window`, which must hold the rule's candidates from T - history to T (a shorter store makes
   * every tuple look new). `alerted`: whether an alert id already exists. At most max_signals alerts.
   */
  execute(
    execution: Execution,
    window: Candidate[],
    alerted: (alertId: string) => boolean,
    warnings: RuleWarnings,
  ): ExecutionAlert[] {
    const occurrences = this.occurrences(window.filter((c) => c.time <= execution.to));
    const fresh = this.evaluate(execution, [...occurrences.values()], alerted, warnings);
    return fresh.slice(0, this.rule.maxSignals).map(({ alert }) => ({ id: String(alert["kibana.alert.uuid"]), alert }));
  }

  /**
   * Alerts in execution order. Only ticks where a tuple can turn new are visited: when one of its documents enters
   * the window, or when one leaves the history window; plus the tick after an execution cut off by max_signals.
   */
  replay(emit: (alert: AlertDocument) => void, warnings: RuleWarnings): number {
    const { intervalMs, maxSignals } = this.rule;
    const seen = new Set<string>();
    const unique = this.candidates.filter((c) => !seen.has(c.id) && seen.add(c.id));
    const agenda = new Map<number, Set<TupleOccurrences>>();
    const schedule = (tick: number, entry: TupleOccurrences) => {
      let due = agenda.get(tick);
      if (!due) agenda.set(tick, (due = new Set()));
      due.add(entry);
    };
    for (const entry of this.occurrences(unique).values()) {
      for (const c of entry.holders) {
        schedule(tickAtOrAfter(c.time, intervalMs), entry);
        schedule(Math.floor((c.time + this.historyMs) / intervalMs) * intervalMs + intervalMs, entry);
      }
    }
    // Ticks are multiples of the interval, so a carried-over tick (the next one) never comes after a pending one.
    const ticks = [...agenda.keys()].sort((a, b) => a - b);
    const created = new Set<string>();
    let alerts = 0;
    for (let i = 0; i < ticks.length; i++) {
      const tick = ticks[i];
      const due = agenda.get(tick) ?? new Set();
      const fresh = this.evaluate(executionAt(tick, this.rule), [...due], (id) => created.has(id), warnings);
      for (const { alert } of fresh.slice(0, maxSignals)) {
        created.add(String(alert["kibana.alert.uuid"]));
        emit(alert);
        alerts++;
      }
      const left = fresh.slice(maxSignals);
      if (!left.length) continue;
      const next = tick + intervalMs;
      if (ticks[i + 1] !== next) ticks.splice(i + 1, 0, next);
      for (const { entry } of left) schedule(next, entry);
    }
    return alerts;
  }

  /**
   * The tuples new at this execution that have not alerted yet, in bucket order, with their alerts; warns when
   * more than max_signals are new. Callers emit at most max_signals of them.
   */
  private evaluate(
    execution: Execution,
    entries: TupleOccurrences[],
    alerted: (alertId: string) => boolean,
    warnings: RuleWarnings,
  ): { alert: AlertDocument; entry: TupleOccurrences }[] {
    const historyFrom = execution.to - this.historyMs;
    const fresh: { alert: AlertDocument; entry: TupleOccurrences }[] = [];
    for (const entry of entries.sort((a, b) => compareTuples(a.tuple, b.tuple))) {
      const first = entry.holders[firstAtOrAfter(entry.holders, historyFrom)];
      // Kibana keeps a term whose first sighting is strictly after `from` (bucket_selector `first_seen > from`).
      if (!first || first.time <= execution.from || first.time > execution.to) continue;
      const alertId = newTermsAlertId(this.index, first.id, this.rule.ruleId, entry.tuple);
      if (alerted(alertId)) continue;
      const identity = { id: first.id, index: this.index, alertId, terms: entry.tuple };
      fresh.push({ alert: buildNewTermsAlert(this.rule, execution, first.doc, identity), entry });
    }
    if (fresh.length > this.rule.maxSignals) {
      warnings.add(`execution reached max_signals (${this.rule.maxSignals}); further new terms wait for the next one`);
    }
    return fresh;
  }

  private occurrences(candidates: Candidate[]): Map<string, TupleOccurrences> {
    const byTuple = new Map<string, TupleOccurrences>();
    for (const c of candidates) {
      for (const tuple of this.tuples(c.doc)) {
        const key = JSON.stringify(tuple);
        let entry = byTuple.get(key);
        if (!entry) byTuple.set(key, (entry = { tuple, holders: [] }));
        entry.holders.push(c);
      }
    }
    for (const entry of byTuple.values()) entry.holders.sort(byTimeThenId);
    return byTuple;
  }
}

/** Kibana hashes `[_index, _id, _version, "<space>:<rule>", terms]`; trailwatch documents have no `_version`. */
export function newTermsAlertId(index: string, docId: string, ruleId: string, terms: TermValue[]): string {
  return createHash("sha1")
    .update(JSON.stringify([index, docId, `${SPACE_ID}:${ruleId}`, terms]))
    .digest("hex");
}

/** The index of the first holder at or after `t` (holders are sorted by time). */
function firstAtOrAfter(holders: Candidate[], t: number): number {
  let lo = 0;
  let hi = holders.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (holders[mid].time < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Ties on time go to the smaller `_id`, as Kibana's ES|QL new terms query breaks them. */
function byTimeThenId(a: Candidate, b: Candidate): number {
  return a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Composite aggregation order: field by field, numbers numerically, strings by code unit. */
function compareTuples(a: TermValue[], b: TermValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

/**
 * How an aggregation reads one field: the document's distinct indexed values, sorted. Unmapped fields and keyword
 * values beyond `ignore_above` have no terms; text and geo fields cannot be aggregated at all.
 */
function termReader(field: string, schema: Schema): TermReader | string {
  const spec = schema.field(field);
  if (!spec) {
    if (!schema.flattenedRoot?.(field)) return () => [];
    return distinct((doc) => fieldValues(doc, field).flatMap((v) => (isScalar(v) ? [String(v)] : [])));
  }
  switch (spec.type) {
    case "keyword":
    case "constant_keyword":
    case "ip": {
      const limit = spec.ignoreAbove ?? Infinity;
      const constant = spec.constant;
      if (constant !== undefined) return () => [constant];
      return distinct((doc) =>
        fieldValues(doc, field).flatMap((v) => (isScalar(v) && String(v).length <= limit ? [String(v)] : [])),
      );
    }
    case "long":
    case "integer":
    case "double":
    case "float":
      return distinct((doc) => fieldValues(doc, field).flatMap((v) => numeric(Number(v))));
    case "date":
      return distinct((doc) =>
        fieldValues(doc, field).flatMap((v) => numeric(typeof v === "number" ? v : Date.parse(String(v)))),
      );
    case "boolean":
      return distinct((doc) => fieldValues(doc, field).flatMap(booleanTerm));
    default:
      return `is a ${spec.type} field, which cannot be aggregated`;
  }
}

function distinct(read: TermReader): TermReader {
  return (doc) => [...new Set(read(doc))].sort((a, b) => compareTuples([a], [b]));
}

function booleanTerm(v: JsonValue): boolean[] {
  if (typeof v === "boolean") return [v];
  return v === "true" || v === "false" ? [v === "true"] : [];
}

function numeric(n: number): number[] {
  return Number.isFinite(n) ? [n] : [];
}

function isScalar(v: JsonValue): v is string | number | boolean {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}
