/**
 * An ES|QL rule: its leading row filter runs once per document as records arrive, so only candidates are kept
 * (projected to the fields the query reads); each scheduled execution then runs the query over the candidates in
 * its window, with NOW() at the execution time.
 *
 * Alerts: by default one per rule and group key for aggregating queries (the row from the first execution that
 * aggregated the most events wins, so later executions that see more update counts, values and last seen); with
 * `kibanaCompatible`, a new alert for every row of every execution, as Kibana does. Non-aggregating rows that carry
 * `_id` alert once per source document in both modes, as in Kibana.
 */
import { type AlertDocument, buildEventAlert, buildRowAlert, executionRowUuid, groupUuid } from "../alerts/build.ts";
import { type Document, fieldValues, type JsonValue, setField } from "../doc/document.ts";
import type { CompiledEsql } from "../lang/esql/index.ts";
import type { Rule } from "../rules/index.ts";
import { byTime, type Candidate, type RuleWarnings } from "./candidate.ts";
import { type Execution, executionAt, tickAtOrAfter, windowTime } from "./schedule.ts";

export interface EsqlPlanOptions {
  kibanaCompatible: boolean;
  index: string;
}

interface KeptAlert {
  alert: AlertDocument;
  rowCount: number;
  executions: number;
}

export class EsqlRulePlan {
  private readonly candidates: Candidate[] = [];
  private readonly keepFields: string[] | undefined;

  constructor(
    readonly rule: Rule,
    private readonly query: CompiledEsql,
    private readonly options: EsqlPlanOptions,
  ) {
    const required = query.requiredFields;
    // Non-aggregating alerts carry the whole source document, so keep it; otherwise only what the query reads.
    this.keepFields =
      required === "*" || !query.aggregating
        ? undefined
        : [...new Set([...required, rule.timestampOverride ?? "@timestamp", "@timestamp", "event.id"])];
  }

  get candidateCount(): number {
    return this.candidates.length;
  }

  /** Keeps the document if the rule may select it; says whether it did. */
  offer(doc: Document, id: string): boolean {
    if (this.query.rowFilter && !this.query.rowFilter(doc)) return false;
    const time = windowTime(doc, this.rule);
    if (time === undefined) return false;
    this.candidates.push({ time, id, doc: this.keepFields ? project(doc, this.keepFields) : doc });
    return true;
  }

  replay(emit: (alert: AlertDocument) => void, warnings: RuleWarnings): number {
    const rule = this.rule;
    const docs = this.candidates.sort(byTime);
    if (!docs.length) return 0;
    const ids = new Map<Document, string>(docs.map((c) => [c.doc, c.id]));
    const byId = new Map<string, Candidate>(docs.map((c) => [c.id, c]));
    const kept = new Map<string, KeptAlert>();
    const alertedIds = new Set<string>();
    let created = 0;
    let lo = 0;
    let hi = 0;
    let tick = tickAtOrAfter(docs[0].time, rule.intervalMs);
    // A live deployment keeps running after the last event: every execution whose window still holds a candidate.
    const lastTick = tickAtOrAfter(docs[docs.length - 1].time, rule.intervalMs) + rule.lookbackMs;
    while (tick <= lastTick) {
      const execution = executionAt(tick, rule);
      while (lo < docs.length && docs[lo].time < execution.from) lo++;
      while (hi < docs.length && docs[hi].time <= execution.to) hi++;
      if (lo >= hi) {
        if (lo >= docs.length) break;
        tick = Math.max(tick + rule.intervalMs, tickAtOrAfter(docs[lo].time, rule.intervalMs));
        continue;
      }
      const window = docs.slice(lo, hi).map((c) => c.doc);
      const result = this.query.run(window, {
        now: new Date(tick),
        skipRowFilter: true,
        limit: rule.maxSignals + 1,
        metadata: (doc) => ({ _id: ids.get(doc), _index: this.options.index, _version: 1 }),
        onWarning: (m) => warnings.add(m),
      });
      let rows = result.rows;
      if (rows.length > rule.maxSignals) {
        warnings.add(`execution reached max_signals (${rule.maxSignals}); further rows were not alerted`);
        rows = rows.slice(0, rule.maxSignals);
      }
      rows.forEach((values, i) => {
        const row: Record<string, JsonValue> = {};
        result.columns.forEach((col, c) => {
          row[col.name] = values[c] as JsonValue;
        });
        const sourceId = typeof row._id === "string" ? row._id : undefined;
        if (sourceId !== undefined && !this.query.aggregating) {
          if (alertedIds.has(sourceId)) return;
          alertedIds.add(sourceId);
          const source = byId.get(sourceId);
          emit(
            source
              ? buildEventAlert(rule, execution, source.doc, { id: sourceId, index: this.options.index }, row)
              : buildRowAlert(rule, execution, row, executionRowUuid(rule, execution, i)),
          );
          created++;
          return;
        }
        if (this.options.kibanaCompatible) {
          emit(buildRowAlert(rule, execution, row, executionRowUuid(rule, execution, i)));
          created++;
          return;
        }
        const key = result.groupKeys?.[i] ?? JSON.stringify(values);
        this.keep(kept, key, row, result.groupRowCounts?.[i] ?? 0, execution);
      });
      tick += rule.intervalMs;
    }
    for (const { alert, executions } of kept.values()) {
      alert["trailwatch.executions"] = executions;
      emit(alert);
      created++;
    }
    return created;
  }

  private keep(
    kept: Map<string, KeptAlert>,
    key: string,
    row: Record<string, JsonValue>,
    rowCount: number,
    execution: Execution,
  ) {
    const previous = kept.get(key);
    const executions = (previous?.executions ?? 0) + 1;
    if (previous && previous.rowCount >= rowCount) {
      previous.executions = executions;
      previous.alert["trailwatch.last_execution"] = new Date(execution.startedAt).toISOString();
      return;
    }
    const alert = buildRowAlert(this.rule, execution, row, groupUuid(this.rule, key));
    alert["trailwatch.first_execution"] =
      previous?.alert["trailwatch.first_execution"] ?? new Date(execution.startedAt).toISOString();
    alert["trailwatch.last_execution"] = new Date(execution.startedAt).toISOString();
    kept.set(key, { alert, rowCount, executions });
  }
}

/** A copy of the document with only the given fields (dotted paths), which is all the query can read. */
function project(doc: Document, fields: string[]): Document {
  const out: Document = {};
  for (const field of fields) {
    const values = fieldValues(doc, field);
    if (values.length === 1) setField(out, field, values[0]);
    else if (values.length > 1) setField(out, field, values);
  }
  return out;
}
