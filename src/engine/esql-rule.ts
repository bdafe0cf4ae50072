/**
 * An ES|QL rule: its leading row filter runs once per document as records arrive, so only candidates are kept
 * (projected to the fields the query reads); each scheduled execution then runs the query over the candidates in
 * its window, with NOW() at the execution time. A candidate's row-local leading commands (field reads, GROK, EVAL,
 * WHERE before the first STATS) run once, not once per execution that sees it: executions run the rest of the
 * query over those prepared rows.
 *
 * Alerts: by default one per rule and group key for aggregating queries (the row from the first execution that
 * aggregated the most events wins, so later executions that see more update counts, values and last seen); with
 * `kibanaCompatible`, a new alert for every row of every execution, as Kibana does. Non-aggregating rows that carry
 * `_id` alert once per source document in both modes, as in Kibana.
 */
import { type AlertDocument, buildEventAlert, buildRowAlert, executionRowUuid, groupUuid } from "../alerts/build.ts";
import type { Document, JsonValue } from "../doc/document.ts";
import type { CompiledEsql, EsqlResult, PreparedRows, RunContext, StatsPart } from "../lang/esql/index.ts";
import type { Rule } from "../rules/index.ts";
import { byTime, type Candidate, CandidatePlan, type ExecutionAlert, type RuleWarnings } from "./candidate.ts";
import { projectDocument } from "./project.ts";
import { type Execution, executionAt, tickAtOrAfter, windowTime } from "./schedule.ts";

export interface EsqlPlanOptions {
  kibanaCompatible: boolean;
  index: string;
  /** Run every execution over whole documents instead of rows prepared once per candidate (same results; slower). */
  noPreparedRows?: boolean;
  /** Run each replayed execution's first STATS over all its rows instead of merging groups built once per stretch. */
  noIncrementalStats?: boolean;
}

export class EsqlRulePlan extends CandidatePlan {
  private readonly keepFields: string[] | undefined;
  /** Live executions: the prepared rows of the last execution's candidates, by candidate id. */
  private livePrepared = new Map<string, PreparedRows>();
  private merged = 0;

  constructor(
    readonly rule: Rule,
    private readonly query: CompiledEsql,
    private readonly options: EsqlPlanOptions,
  ) {
    super();
    const required = query.requiredFields;
    // Non-aggregating alerts carry the whole source document, so keep it; otherwise only what the query reads.
    this.keepFields =
      required === "*" || !query.aggregating
        ? undefined
        : [...new Set([...required, rule.timestampOverride ?? "@timestamp", "@timestamp", "event.id"])];
  }

  override get keptFields(): readonly string[] | undefined {
    return this.keepFields;
  }

  /** How many replayed executions merged per-stretch STATS groups instead of aggregating all their rows. */
  get mergedExecutions(): number {
    return this.merged;
  }

  replay(emit: (alert: AlertDocument) => void, warnings: RuleWarnings): number {
    const rule = this.rule;
    const docs = this.candidates.sort(byTime);
    if (!docs.length) return 0;
    const ids = new Map<Document, string>(docs.map((c) => [c.doc, c.id]));
    const byId = new Map<string, Candidate>(docs.map((c) => [c.id, c]));
    // Prepared on first use; dropped once the windows have moved past the candidate.
    const prepared: (PreparedRows | undefined)[] = new Array(docs.length);
    let released = 0;
    const kept = new Map<string, GroupAlertState>();
    const alertedIds = new Set<string>();
    let created = 0;
    const windows = scheduleWindows(docs, rule);
    const prepare = (i: number) => (prepared[i] ??= this.prepare(docs[i]));
    const incremental =
      this.options.noPreparedRows || this.options.noIncrementalStats ? undefined : this.query.incrementalStats;
    const parts =
      incremental &&
      new WindowParts(windows, (from, to) => incremental.aggregate(indices(from, to).map(prepare)));
    for (const { execution, lo, hi } of windows) {
      for (; released < lo; released++) prepared[released] = undefined;
      const runPrepared = (ctx: RunContext) => this.query.runPrepared(indices(lo, hi).map(prepare), ctx);
      const run = this.options.noPreparedRows
        ? (ctx: RunContext) =>
            this.query.run(
              docs.slice(lo, hi).map((c) => c.doc),
              { ...ctx, metadata: this.metadata(ids) },
            )
        : incremental && parts
          ? (ctx: RunContext) => {
              const merged = incremental.runMerged(parts.cover(lo, hi), ctx);
              if (merged) this.merged++;
              return merged ?? runPrepared(ctx);
            }
          : runPrepared;
      for (const r of this.runWindow(execution, run, warnings)) {
        if (r.sourceId !== undefined) {
          if (alertedIds.has(r.sourceId)) continue;
          alertedIds.add(r.sourceId);
          emit(this.sourceAlert(execution, r, byId.get(r.sourceId)));
          created++;
        } else if (this.options.kibanaCompatible) {
          emit(buildRowAlert(rule, execution, r.row, executionRowUuid(rule, execution, r.index)));
          created++;
        } else {
          const build = () => buildRowAlert(rule, execution, r.row, groupUuid(rule, r.groupKey));
          kept.set(r.groupKey, mergeGroupAlert(kept.get(r.groupKey), r.rowCount, execution, build));
        }
      }
    }
    for (const { alert, executions } of kept.values()) {
      alert["trailwatch.executions"] = executions;
      emit(alert);
      created++;
    }
    return created;
  }

  /** The candidate the rule would keep for this document (projected), without keeping it. */
  override select(doc: Document, id: string): Candidate | undefined {
    if (this.query.rowFilter && !this.query.rowFilter(doc)) return undefined;
    const time = windowTime(doc, this.rule);
    if (time === undefined) return undefined;
    return { time, id, doc: this.keepFields ? projectDocument(doc, this.keepFields) : doc };
  }

  /**
   * One live execution over every candidate in its window (aggregations need those that alerted before too).
   * `alerted` says whether a source document already raised its alert. A de-duplicated aggregating alert comes back
   * with its `groupKey` and `rowCount` for the caller to merge with `mergeGroupAlert`.
   */
  execute(
    execution: Execution,
    window: Candidate[],
    alerted: (sourceId: string) => boolean,
    warnings: RuleWarnings,
  ): ExecutionAlert[] {
    const rule = this.rule;
    const inWindow = window.filter((c) => c.time >= execution.from && c.time <= execution.to).sort(byTime);
    if (!inWindow.length) return [];
    const byId = new Map<string, Candidate>(inWindow.map((c) => [c.id, c]));
    const out: ExecutionAlert[] = [];
    let run: (ctx: RunContext) => EsqlResult;
    if (this.options.noPreparedRows) {
      const ids = new Map<Document, string>(inWindow.map((c) => [c.doc, c.id]));
      run = (ctx) => this.query.run(inWindow.map((c) => c.doc), { ...ctx, metadata: this.metadata(ids) });
    } else {
      // Keep what this window holds for the next execution, whose window mostly overlaps it. An id names one
      // document (the store's key); should a window hold two with one id, the second is prepared afresh.
      const previous = this.livePrepared;
      const current = new Map<string, PreparedRows>();
      const rows = inWindow.map((c) => {
        if (current.has(c.id)) return this.prepare(c);
        const p = previous.get(c.id) ?? this.prepare(c);
        current.set(c.id, p);
        return p;
      });
      this.livePrepared = current;
      run = (ctx) => this.query.runPrepared(rows, ctx);
    }
    for (const r of this.runWindow(execution, run, warnings)) {
      let alert: AlertDocument;
      if (r.sourceId !== undefined) {
        if (alerted(r.sourceId) || out.some((a) => a.sourceId === r.sourceId)) continue;
        alert = this.sourceAlert(execution, r, byId.get(r.sourceId));
        out.push({ id: String(alert["kibana.alert.uuid"]), alert, sourceId: r.sourceId });
      } else if (this.options.kibanaCompatible) {
        alert = buildRowAlert(rule, execution, r.row, executionRowUuid(rule, execution, r.index));
        out.push({ id: String(alert["kibana.alert.uuid"]), alert });
      } else {
        alert = buildRowAlert(rule, execution, r.row, groupUuid(rule, r.groupKey));
        out.push({ id: String(alert["kibana.alert.uuid"]), alert, groupKey: r.groupKey, rowCount: r.rowCount });
      }
    }
    return out;
  }

  /** A candidate's rows out of the query's row-local leading commands; the row filter already selected it. */
  private prepare(candidate: Candidate): PreparedRows {
    const meta = { _id: candidate.id, _index: this.options.index, _version: 1 };
    return this.query.prepare(candidate.doc, { skipRowFilter: true, metadata: () => meta });
  }

  /** `_id` is the candidate's id, as Elasticsearch would have given it. */
  private metadata(ids: Map<Document, string>): RunContext["metadata"] {
    return (doc) => ({ _id: ids.get(doc), _index: this.options.index, _version: 1 });
  }

  /** Runs the query over one window (`run` supplies the candidates), NOW() at the tick, rows cut at `max_signals`. */
  private runWindow(execution: Execution, run: (ctx: RunContext) => EsqlResult, warnings: RuleWarnings): ResultRow[] {
    const rule = this.rule;
    const result = run({
      now: new Date(execution.startedAt),
      skipRowFilter: true,
      limit: rule.maxSignals + 1,
      onWarning: (m) => warnings.add(m),
    });
    let rows = result.rows;
    if (rows.length > rule.maxSignals) {
      warnings.add(`execution reached max_signals (${rule.maxSignals}); further rows were not alerted`);
      rows = rows.slice(0, rule.maxSignals);
    }
    return rows.map((values, i) => {
      const row: Record<string, JsonValue> = {};
      result.columns.forEach((col, c) => {
        row[col.name] = values[c] as JsonValue;
      });
      const sourceId = typeof row._id === "string" && !this.query.aggregating ? row._id : undefined;
      return {
        row,
        index: i,
        groupKey: result.groupKeys?.[i] ?? JSON.stringify(values),
        rowCount: result.groupRowCounts?.[i] ?? 0,
        sourceId,
      };
    });
  }

  private sourceAlert(execution: Execution, r: ResultRow, source: Candidate | undefined): AlertDocument {
    const { rule } = this;
    return source
      ? buildEventAlert(rule, execution, source.doc, { id: source.id, index: this.options.index }, r.row)
      : buildRowAlert(rule, execution, r.row, executionRowUuid(rule, execution, r.index));
  }
}

/** The replay's executions that hold candidates, each with its candidates: `docs[lo, hi)` (sorted by time). */
function scheduleWindows(docs: Candidate[], rule: Rule): { execution: Execution; lo: number; hi: number }[] {
  const out: { execution: Execution; lo: number; hi: number }[] = [];
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
    out.push({ execution, lo, hi });
    tick += rule.intervalMs;
  }
  return out;
}

/**
 * The candidates cut at both ends of every window, so that each window is a run of whole stretches (a candidate
 * exactly on a window's lower bound starts a stretch of its own where needed). Each stretch is aggregated once,
 * when a window first needs it, and dropped once the windows have moved past it.
 */
class WindowParts {
  private readonly cuts: number[];
  private readonly parts: (StatsPart | undefined)[];
  private first = 0;

  constructor(
    windows: readonly { lo: number; hi: number }[],
    private readonly aggregate: (from: number, to: number) => StatsPart,
  ) {
    this.cuts = [...new Set(windows.flatMap((w) => [w.lo, w.hi]))].sort((a, b) => a - b);
    this.parts = new Array(this.cuts.length);
  }

  /** The stretches of `[lo, hi)`, in order; `lo` never decreases between calls. */
  cover(lo: number, hi: number): StatsPart[] {
    const { cuts, parts } = this;
    for (; cuts[this.first] < lo; this.first++) parts[this.first] = undefined;
    const out: StatsPart[] = [];
    for (let j = this.first; cuts[j] < hi; j++) out.push((parts[j] ??= this.aggregate(cuts[j], cuts[j + 1])));
    return out;
  }
}

function indices(from: number, to: number): number[] {
  const out = new Array<number>(to - from);
  for (let i = from; i < to; i++) out[i - from] = i;
  return out;
}

/** A result row with what decides its alert: the source document (`_id` of a non-aggregating row) or group key. */
interface ResultRow {
  row: Record<string, JsonValue>;
  index: number;
  groupKey: string;
  rowCount: number;
  sourceId?: string;
}

/** A de-duplicated aggregating alert as it stands after some executions. */
export interface GroupAlertState {
  alert: AlertDocument;
  rowCount: number;
  executions: number;
}

/**
 * One more execution produced a row for this group: the row that aggregated the most events wins (the first such
 * execution on a tie), and `trailwatch.{first,last}_execution` record the span.
 */
export function mergeGroupAlert(
  previous: GroupAlertState | undefined,
  rowCount: number,
  execution: Execution,
  build: () => AlertDocument,
): GroupAlertState {
  const executions = (previous?.executions ?? 0) + 1;
  const at = new Date(execution.startedAt).toISOString();
  if (previous && previous.rowCount >= rowCount) {
    previous.alert["trailwatch.last_execution"] = at;
    return { ...previous, executions };
  }
  const alert = build();
  alert["trailwatch.first_execution"] = previous?.alert["trailwatch.first_execution"] ?? at;
  alert["trailwatch.last_execution"] = at;
  return { alert, rowCount, executions };
}
