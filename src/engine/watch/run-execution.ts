/**
 * One live execution of one rule: its window's candidates from the store, the rule run over them, de-duplicated
 * aggregating alerts merged with what earlier executions stored, and everything committed in one transaction.
 */
import type { StateStore, StoredAlert } from "../../store/state-store.ts";
import type { Candidate, ExecutionAlert, RuleWarnings } from "../candidate.ts";
import { mergeGroupAlert } from "../esql-rule.ts";
import { EventRulePlan } from "../event-rule.ts";
import { NewTermsRulePlan } from "../new-terms-rule.ts";
import type { RulePlan } from "../plans.ts";
import { type Execution, executionAt } from "../schedule.ts";

export interface ExecutionOutcome {
  execution: Execution;
  candidates: number;
  /** Alerts raised for the first time. */
  newAlerts: number;
  /** De-duplicated aggregating alerts that this execution saw again. */
  updatedAlerts: number;
  /** False for an empty window, whose checkpoint the caller still has to store. */
  committed: boolean;
}

export async function runExecution(
  plan: RulePlan,
  tick: number,
  store: StateStore,
  sinks: string[],
  finishedAt: number,
  warnings: RuleWarnings,
): Promise<ExecutionOutcome> {
  const ruleId = plan.rule.ruleId;
  const execution = executionAt(tick, plan.rule);
  // A new-terms execution reads its history too: the rule's documents back to `history_window_start`.
  const since = plan instanceof NewTermsRulePlan ? execution.to - plan.historyMs : execution.from;
  const stored = await store.windowCandidates(ruleId, since, execution.to);
  // Nothing in the window to select: nothing to commit either; the caller advances the checkpoint past such executions.
  if (!stored.some((c) => c.time >= execution.from)) {
    return { execution, candidates: 0, newAlerts: 0, updatedAlerts: 0, committed: false };
  }
  const candidates: Candidate[] = stored.map((c) => ({ time: c.time, id: c.docId, doc: c.doc }));
  const alerted = new Set(stored.filter((c) => c.alerted).map((c) => c.docId));
  let results: ExecutionAlert[];
  if (plan instanceof EventRulePlan) {
    results = plan.execute(
      execution,
      candidates.filter((c) => !alerted.has(c.id)),
      warnings,
    );
  } else if (plan instanceof NewTermsRulePlan) {
    const existing = await store.alertIds(ruleId);
    results = plan.execute(execution, candidates, (alertId) => existing.has(alertId), warnings);
  } else {
    results = plan.execute(execution, candidates, (id) => alerted.has(id), warnings);
  }

  const alerts: StoredAlert[] = [];
  for (const result of results) alerts.push(await toStored(result, ruleId, execution, store));
  const fresh = await store.commitExecution(
    {
      ruleId,
      tick,
      from: execution.from,
      to: execution.to,
      candidates: stored.length,
      alerts,
      alertedSources: results.flatMap((r) => (r.sourceId === undefined ? [] : [r.sourceId])),
      finishedAt,
    },
    sinks,
  );
  return {
    execution,
    candidates: stored.length,
    newAlerts: fresh.length,
    updatedAlerts: alerts.length - fresh.length,
    committed: true,
  };
}

async function toStored(
  result: ExecutionAlert,
  ruleId: string,
  execution: Execution,
  store: StateStore,
): Promise<StoredAlert> {
  const base = { id: result.id, ruleId, execution: execution.startedAt };
  if (result.groupKey === undefined) return { ...base, alert: result.alert, executions: 1 };
  const previous = await store.groupAlert(result.id);
  const state = mergeGroupAlert(previous, result.rowCount ?? 0, execution, () => result.alert);
  state.alert["trailwatch.executions"] = state.executions;
  return { ...base, alert: state.alert, rowCount: state.rowCount, executions: state.executions };
}
