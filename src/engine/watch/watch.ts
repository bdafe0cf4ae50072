/**
 * `watch`: the live loop. Each round polls every source and processes each object not read before (candidates
 * stored and the object marked read in one transaction, then the source told it is done), runs every execution
 * that fell due on the wall clock (all of them after downtime, from the rule's checkpoint), drops candidates no
 * future window can reach, and hands due outbox entries to the sinks. Stopping (the signal) lets the current step
 * finish; an unfinished step is redone on the next start without duplicating anything.
 */
import type { Enricher } from "../../enrich/index.ts";
import type { ObjectRef, ObjectSource } from "../../sources/live/object-source.ts";
import type { StateStore } from "../../store/state-store.ts";
import { RuleWarnings } from "../candidate.ts";
import { NewTermsRulePlan } from "../new-terms-rule.ts";
import type { RulePlan } from "../plans.ts";
import { tickAtOrAfter } from "../schedule.ts";
import type { Clock } from "./clock.ts";
import { ingestObject } from "./ingest.ts";
import { type ExecutionOutcome, runExecution } from "./run-execution.ts";

export interface WatchOptions {
  sources: ObjectSource[];
  plans: RulePlan[];
  store: StateStore;
  enricher: Enricher;
  namespace?: string;
  /** Agent tags the pipeline sees, e.g. `actor_target_mapping` to run its entity script. */
  tags?: string[];
  kibanaCompatible?: boolean;
  /** Names of the configured sinks: each new alert gets an outbox row per sink. */
  sinks: string[];
  /** Delivers the outbox entries due at `now` (the sinks' side). */
  deliver?: (now: number) => Promise<void>;
  clock: Clock;
  /** How often sources are polled between executions. */
  pollIntervalMs: number;
  /** One round, then return (cron, tests). */
  once?: boolean;
  /** Aborting stops the loop after the current step. */
  signal?: AbortSignal;
  /** Status lines (one per execution, catch-up notices, rule warnings). */
  onStatus: (line: string) => void;
  /** An object that could not be read, or parts of it that were bad; processing continues. */
  onProblem: (origin: string, message: string) => void;
  /** After each object is durably processed. */
  onObject?: (ref: ObjectRef, records: number, candidates: number) => void;
  /** After each execution is durably recorded; `lagMs`: how far the newest object read is past its window's end. */
  onExecution?: (plan: RulePlan, outcome: ExecutionOutcome, lagMs: number | undefined) => void;
  /** Filled in as the loop goes, for a live view (metrics); a fresh one is used otherwise. */
  summary?: WatchSummary;
}

export interface WatchSummary {
  rounds: number;
  objects: number;
  records: number;
  executions: number;
  newAlerts: number;
  problems: number;
}

export function emptySummary(): WatchSummary {
  return { rounds: 0, objects: 0, records: 0, executions: 0, newAlerts: 0, problems: 0 };
}

export async function watch(options: WatchOptions): Promise<WatchSummary> {
  const { store, clock, plans } = options;
  const summary = options.summary ?? emptySummary();
  const stopped = () => options.signal?.aborted === true;
  const problem = (origin: string, message: string) => {
    summary.problems++;
    options.onProblem(origin, message);
  };
  const start = clock.now();
  // The loop is the store's only writer, so checkpoints are read once and then kept here.
  const checkpoints = new Map<string, number>();
  for (const plan of plans) {
    const { ruleId, intervalMs } = plan.rule;
    // A rule that never ran starts with the first tick at or after now: the past was never promised to it.
    await store.startSchedule(ruleId, tickAtOrAfter(start, intervalMs) - intervalMs);
    checkpoints.set(ruleId, (await store.checkpoint(ruleId)) ?? start);
  }

  while (!stopped()) {
    summary.rounds++;
    await pollSources(options, summary, problem, stopped);
    if (stopped()) break;
    await runDueExecutions(options, checkpoints, summary, stopped);
    if (stopped()) break;
    await options.deliver?.(clock.now());
    if (options.once) break;
    await clock.sleep(untilNextStep(options, checkpoints), options.signal);
  }
  return summary;
}

async function pollSources(
  options: WatchOptions,
  summary: WatchSummary,
  problem: (origin: string, message: string) => void,
  stopped: () => boolean,
) {
  const { store, clock } = options;
  const context = {
    plans: options.plans,
    enricher: options.enricher,
    namespace: options.namespace ?? "default",
    tags: options.tags,
    kibanaCompatible: options.kibanaCompatible ?? false,
  };
  for (const source of options.sources) {
    let refs: ObjectRef[];
    try {
      refs = await source.poll(clock.now());
    } catch (err) {
      problem(source.description, `cannot list: ${(err as Error).message}`);
      continue;
    }
    const read = await store.readObjects(refs.map((r) => r.id));
    for (const ref of refs) {
      if (stopped()) return;
      // Processed before (a re-scan, a redelivered message, a crash before done): only acknowledge it again.
      if (read.has(ref.id)) {
        await acknowledge(source, ref, problem);
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = await source.read(ref);
      } catch (err) {
        // Not marked read: the next poll tries again.
        problem(ref.name, `cannot read: ${(err as Error).message}`);
        continue;
      }
      const readAt = clock.now();
      const ingested = ingestObject(bytes, ref.name, readAt, context);
      for (const message of ingested.problems) problem(ref.name, message);
      await store.commitObject(
        {
          id: ref.id,
          source: source.description,
          name: ref.name,
          modifiedAt: ref.modifiedAt,
          readAt,
          records: ingested.records,
        },
        ingested.candidates,
      );
      read.add(ref.id);
      summary.objects++;
      summary.records += ingested.records;
      options.onObject?.(ref, ingested.records, ingested.candidates.length);
      await acknowledge(source, ref, problem);
    }
  }
}

async function acknowledge(source: ObjectSource, ref: ObjectRef, problem: (origin: string, message: string) => void) {
  try {
    await source.done(ref);
  } catch (err) {
    problem(ref.name, `processed, but could not be acknowledged: ${(err as Error).message}`);
  }
}

async function runDueExecutions(
  options: WatchOptions,
  checkpoints: Map<string, number>,
  summary: WatchSummary,
  stopped: () => boolean,
) {
  const { store, clock } = options;
  for (const plan of options.plans) {
    const rule = plan.rule;
    const now = clock.now();
    const checkpoint = checkpoints.get(rule.ruleId) ?? now;
    const missed = Math.floor((now - checkpoint) / rule.intervalMs);
    if (missed <= 0) continue;
    if (missed > 1) {
      options.onStatus(
        `rule "${rule.name}": catching up ${missed} executions missed since ${iso(checkpoint)} (every ${rule.interval})`,
      );
    }
    const warnings = new RuleWarnings();
    let uncommitted = false;
    for (let tick = checkpoint + rule.intervalMs; tick <= now; tick += rule.intervalMs) {
      if (stopped()) break;
      const outcome = await runExecution(plan, tick, store, options.sinks, clock.now(), warnings);
      checkpoints.set(rule.ruleId, tick);
      uncommitted = !outcome.committed;
      summary.executions++;
      summary.newAlerts += outcome.newAlerts;
      const newest = await store.newestObject();
      const lag = newest === undefined ? undefined : Math.max(0, newest - outcome.execution.to);
      options.onExecution?.(plan, outcome, lag);
      options.onStatus(statusLine(rule.name, outcome, lag));
    }
    const reached = checkpoints.get(rule.ruleId) ?? checkpoint;
    if (uncommitted) await store.advanceCheckpoint(rule.ruleId, reached);
    for (const w of warnings.list()) options.onStatus(`rule "${rule.name}": ${w}`);
    // Candidates below the next window's start (for new terms, its history's start) can never be read again.
    const reach = plan instanceof NewTermsRulePlan ? plan.historyMs : rule.lookbackMs;
    await store.prune(rule.ruleId, reached + rule.intervalMs - reach);
  }
}

/** Until the next tick of any rule, or the next poll, whichever comes first. */
function untilNextStep(options: WatchOptions, checkpoints: Map<string, number>): number {
  const now = options.clock.now();
  let next = now + options.pollIntervalMs;
  for (const plan of options.plans) {
    const checkpoint = checkpoints.get(plan.rule.ruleId);
    if (checkpoint !== undefined) next = Math.min(next, checkpoint + plan.rule.intervalMs);
  }
  return Math.max(0, next - now);
}

function statusLine(name: string, o: ExecutionOutcome, lagMs: number | undefined): string {
  const { execution } = o;
  const lag = lagMs === undefined ? "no object read yet" : `lag ${duration(lagMs)}`;
  const updated = o.updatedAlerts ? `, ${o.updatedAlerts} updated` : "";
  return (
    `rule "${name}": execution ${iso(execution.startedAt)} over [${iso(execution.from)}, ${iso(execution.to)}]: ` +
    `${o.candidates} record(s) in window, ${o.newAlerts} new alert(s)${updated}, ${lag}`
  );
}

function iso(t: number): string {
  return new Date(t).toISOString().replace(".000Z", "Z");
}

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
