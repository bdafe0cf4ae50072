/**
 * A rule that alerts on individual events (KQL query rules): the predicate is evaluated once per document; the
 * schedule replay then decides which execution raises each alert, honouring `max_signals` per execution the way
 * Kibana pages through hits in ascending time order.
 */
import type { AlertDocument } from "../alerts/build.ts";
import { buildEventAlert } from "../alerts/build.ts";
import type { Document } from "../doc/document.ts";
import type { Rule } from "../rules/index.ts";
import { byTime, type Candidate, CandidatePlan, type ExecutionAlert, type RuleWarnings } from "./candidate.ts";
import { type Execution, executionAt, tickAtOrAfter, windowTime } from "./schedule.ts";

export class EventRulePlan extends CandidatePlan {
  constructor(
    readonly rule: Rule,
    private readonly matches: (doc: Document) => boolean,
    private readonly index: string,
  ) {
    super();
  }

  /** The candidate the rule would keep for this document, without keeping it (live mode stores it elsewhere). */
  override select(doc: Document, id: string): Candidate | undefined {
    if (!this.matches(doc)) return undefined;
    const time = windowTime(doc, this.rule);
    return time === undefined ? undefined : { time, id, doc };
  }

  /**
   * One live execution over the candidates in its window that have not alerted yet: oldest first, at most
   * `max_signals`; the rest stay for the next execution, as in `replay`.
   */
  execute(execution: Execution, pending: Candidate[], warnings: RuleWarnings): ExecutionAlert[] {
    const inWindow = pending.filter((c) => c.time >= execution.from && c.time <= execution.to).sort(byTime);
    if (inWindow.length > this.rule.maxSignals) {
      warnings.add(`execution reached max_signals (${this.rule.maxSignals}); further events wait for the next one`);
    }
    return inWindow.slice(0, this.rule.maxSignals).map((c) => {
      const alert = buildEventAlert(this.rule, execution, c.doc, { id: c.id, index: this.index });
      return { id: String(alert["kibana.alert.uuid"]), alert, sourceId: c.id };
    });
  }

  /** Alerts in execution order. A document id alerts once (Kibana's ids are deterministic, so overlaps dedupe). */
  replay(emit: (alert: AlertDocument) => void, warnings: RuleWarnings): number {
    const rule = this.rule;
    const seen = new Set<string>();
    const pending = this.candidates.sort(byTime).filter((c) => !seen.has(c.id) && seen.add(c.id));
    let alerts = 0;
    let next = 0;
    let tick = pending.length ? tickAtOrAfter(pending[0].time, rule.intervalMs) : 0;
    while (next < pending.length) {
      const execution = executionAt(tick, rule);
      while (next < pending.length && pending[next].time < execution.from) {
        warnings.add(`event ${pending[next].id} left every look-back window before an execution had room for it`);
        next++;
      }
      let created = 0;
      while (next < pending.length && pending[next].time <= execution.to && created < rule.maxSignals) {
        const c = pending[next++];
        emit(buildEventAlert(rule, execution, c.doc, { id: c.id, index: this.index }));
        created++;
      }
      alerts += created;
      const cut = next < pending.length && pending[next].time <= execution.to;
      if (cut) warnings.add(`execution reached max_signals (${rule.maxSignals}); further events wait for the next one`);
      if (next >= pending.length) break;
      tick = cut
        ? tick + rule.intervalMs
        : Math.max(tick + rule.intervalMs, tickAtOrAfter(pending[next].time, rule.intervalMs));
    }
    return alerts;
  }
}
