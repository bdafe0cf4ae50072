/**
 * A rule that alerts on individual events (KQL query rules): the predicate is evaluated once per document; the
 * schedule replay then decides which execution raises each alert, honouring `max_signals` per execution the way
 * Kibana pages through hits in ascending time order.
 */
import type { AlertDocument } from "../alerts/build.ts";
import { buildEventAlert } from "../alerts/build.ts";
import type { Document } from "../doc/document.ts";
import type { Rule } from "../rules/index.ts";
import { byTime, type Candidate, type RuleWarnings } from "./candidate.ts";
import { executionAt, tickAtOrAfter, windowTime } from "./schedule.ts";

export class EventRulePlan {
  private readonly candidates: Candidate[] = [];

  constructor(
    readonly rule: Rule,
    private readonly matches: (doc: Document) => boolean,
    private readonly index: string,
  ) {}

  get candidateCount(): number {
    return this.candidates.length;
  }

  /** Keeps the document if the rule may select it; says whether it did. */
  offer(doc: Document, id: string): boolean {
    if (!this.matches(doc)) return false;
    const time = windowTime(doc, this.rule);
    if (time === undefined) return false;
    this.candidates.push({ time, id, doc });
    return true;
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
