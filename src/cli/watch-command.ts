/**
 * `trailwatch watch`: live detection over directories, S3 prefixes and SQS queues, with state in a DuckDB file so a
 * restart loses and duplicates nothing. Alerts go to the sinks through the persisted outbox; status lines, catch-up
 * notices and problems go to stderr. SIGINT/SIGTERM finish the current step, close everything and exit 0.
 */
import { join } from "node:path";
import { parseSinks, SinkSpecError } from "../alerts/sinks/parse-sink.ts";
import { redactUrl } from "../alerts/sinks/http-post.ts";
import { deliverDue } from "../alerts/sinks/outbox-delivery.ts";
import type { Sink } from "../alerts/sinks/sink.ts";
import { cloudtrailSchema } from "../ecs/index.ts";
import { planRules } from "../engine/index.ts";
import { type Clock, systemClock } from "../engine/watch/clock.ts";
import { emptySummary, watch, type WatchSummary } from "../engine/watch/watch.ts";
import type { MetricsSnapshot } from "../server/prometheus-text.ts";
import { type MetricsServer, startMetricsServer } from "../server/metrics.ts";
import type { ObjectSource } from "../sources/live/object-source.ts";
import { openSource, SourceSpecError } from "../sources/live/open-source.ts";
import { StateStore, StoreError } from "../store/state-store.ts";
import { loadEnricher, loadRuleOption, pipelineTags } from "./setup.ts";
import { UsageError } from "./usage-error.ts";

export interface WatchCommandOptions {
  /** `--actor-target-mapping`: the integration option that runs the pipeline's entity script. */
  actorTargetMapping?: boolean;
  rules?: string[];
  sink: string[];
  state: string;
  accounts?: string;
  endpoint?: string;
  poll: string;
  once?: boolean;
  metricsPort?: string;
  asnDb?: string;
  geoDb?: string;
  namespace: string;
  kibanaCompatible?: boolean;
  verbose?: boolean;
}

/** Test hook: a frozen wall clock (ISO-8601), so a child process can be killed and restarted at the same instant. */
const FROZEN_CLOCK_ENV = "TRAILWATCH_CLOCK";

export async function runWatch(specs: string[], opts: WatchCommandOptions): Promise<number> {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const pollMs = Number(opts.poll) * 1000;
  if (!Number.isFinite(pollMs) || pollMs <= 0) throw new UsageError(`--poll ${opts.poll}: expected seconds, e.g. 30`);
  const clock = clockFromEnvironment();
  const rules = await loadRuleOption(opts.rules);
  const index = `logs-aws.cloudtrail-${opts.namespace}`;
  const kibanaCompatible = opts.kibanaCompatible ?? false;
  const planned = planRules(rules, { schema: cloudtrailSchema, index, kibanaCompatible });
  if (planned.errors.length) throw new UsageError(planned.errors.join("\ntrailwatch: "));
  for (const w of planned.warnings) say(`trailwatch: ${w}`);
  for (const r of planned.alertIndexRules) {
    say(`trailwatch: ${r.origin}: rule "${r.name}" reads the alerts index, which watch does not run yet; skipped`);
  }
  if (!planned.plans.length) throw new UsageError("no rule can run on CloudTrail");

  const metricsPort = opts.metricsPort === undefined ? undefined : Number(opts.metricsPort);
  if (metricsPort !== undefined && !(Number.isInteger(metricsPort) && metricsPort >= 0 && metricsPort < 65536)) {
    throw new UsageError(`--metrics-port ${opts.metricsPort}: expected a port number`);
  }
  const sinks = openSinks(opts.sink);
  const sources = await openSources(specs, opts, say);
  const enricher = await loadEnricher(opts.asnDb, opts.geoDb);
  let store: StateStore;
  try {
    store = await StateStore.open(opts.state);
  } catch (err) {
    if (err instanceof StoreError) throw new UsageError(`--state ${opts.state}: ${err.message}`);
    throw err;
  }

  const stop = new AbortController();
  const onSignal = (signal: string) => {
    say(`trailwatch: ${signal}: stopping after the current step`);
    stop.abort();
  };
  const onInt = () => onSignal("SIGINT");
  const onTerm = () => onSignal("SIGTERM");
  process.once("SIGINT", onInt);
  process.once("SIGTERM", onTerm);

  const summary = emptySummary();
  const live = new LiveMetrics(summary);
  // Every sink's backlog is a series from the start (what the store holds from an earlier run), not only after the
  // first delivery round.
  const backlog = await store.undelivered();
  live.pending = new Map(sinks.map((s) => [shown(s.name), backlog.get(s.name) ?? 0]));
  let metrics: MetricsServer | undefined;
  if (metricsPort !== undefined) {
    try {
      metrics = await startMetricsServer(metricsPort, "127.0.0.1", () => live.snapshot());
    } catch (err) {
      await Promise.allSettled([...sources.map((s) => s.close()), store.close()]);
      throw new UsageError(`--metrics-port: ${(err as Error).message}`);
    }
    say(`trailwatch: metrics on http://127.0.0.1:${metrics.port}/metrics`);
  }
  say(
    `trailwatch: watching ${sources.map((s) => s.description).join(", ")} with ${planned.plans.length} rule(s); ` +
      `state ${join(opts.state, "state.duckdb")}; alerts to ${sinks.map((s) => shown(s.name)).join(", ")}`,
  );
  try {
    await watch({
      summary,
      sources,
      plans: planned.plans,
      store,
      enricher,
      namespace: opts.namespace,
      tags: pipelineTags(opts),
      kibanaCompatible,
      sinks: sinks.map((s) => s.name),
      deliver: async (now) => {
        const result = await deliverDue(store, sinks, now, {
          onFailure: (sink, alertId, error, next) =>
            say(`trailwatch: ${shown(sink)}: alert ${alertId} not delivered (${error}); retry at ${new Date(next).toISOString()}`),
        });
        live.delivered += result.delivered;
        live.failedDeliveries += result.failed;
        const pending = await store.undelivered();
        live.pending = new Map(sinks.map((s) => [shown(s.name), pending.get(s.name) ?? 0]));
      },
      onExecution: (plan, outcome, lag) => live.execution(plan.rule.ruleId, outcome.execution.startedAt, lag),
      clock,
      pollIntervalMs: pollMs,
      once: opts.once,
      signal: stop.signal,
      onStatus: say,
      onProblem: (origin, message) => say(`trailwatch: ${origin}: ${message}`),
      onObject: opts.verbose
        ? (ref, records, candidates) => say(`read ${ref.name}: ${records} record(s), ${candidates} candidate(s)`)
        : undefined,
    });
    const pending = [...(await store.undelivered())].map(([sink, n]) => `${n} for ${shown(sink)}`);
    say(
      `trailwatch: ${summary.objects} object(s), ${summary.records} record(s), ${summary.executions} execution(s), ` +
        `${summary.newAlerts} new alert(s)${pending.length ? `; awaiting delivery: ${pending.join(", ")}` : ""}`,
    );
    return opts.once && summary.problems > 0 ? 2 : 0;
  } finally {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
    await Promise.allSettled([
      ...sources.map((s) => s.close()),
      ...sinks.map((s) => s.close?.()),
      metrics?.close(),
    ]);
    await store.close();
  }
}

/** A sink's name for stderr and metrics: webhook and Slack URLs carry secrets in their paths. */
function shown(sink: string): string {
  const match = /^(webhook|slack):(.*)$/.exec(sink);
  return match ? `${match[1]}:${redactUrl(match[2])}` : sink;
}

function clockFromEnvironment(): Clock {
  const frozen = process.env[FROZEN_CLOCK_ENV];
  if (!frozen) return systemClock;
  const at = Date.parse(frozen);
  if (!Number.isFinite(at)) throw new UsageError(`${FROZEN_CLOCK_ENV}=${frozen}: not an ISO-8601 time`);
  return { now: () => at, sleep: systemClock.sleep };
}

function openSinks(specs: string[]): Sink[] {
  const chosen = specs.length ? specs : [process.stdout.isTTY ? "stdout" : "stdout:ndjson"];
  try {
    return parseSinks(chosen);
  } catch (err) {
    if (err instanceof SinkSpecError) throw new UsageError(err.message);
    throw err;
  }
}

async function openSources(
  specs: string[],
  opts: WatchCommandOptions,
  say: (line: string) => void,
): Promise<ObjectSource[]> {
  const accounts = opts.accounts
    ?.split(",")
    .map((a) => a.trim())
    .filter(Boolean);
  for (const account of accounts ?? []) {
    if (!/^\d{12}$/.test(account)) throw new UsageError(`--accounts: "${account}" is not a 12-digit account id`);
  }
  const sources: ObjectSource[] = [];
  try {
    for (const spec of specs) {
      sources.push(
        await openSource(spec, {
          endpoint: opts.endpoint,
          accounts,
          onProblem: (message) => say(`trailwatch: ${spec}: ${message}`),
        }),
      );
    }
  } catch (err) {
    await Promise.allSettled(sources.map((s) => s.close()));
    if (err instanceof SourceSpecError) throw new UsageError(err.message);
    throw err;
  }
  return sources;
}

/** What `--metrics-port` shows: the loop's counters, per-rule progress and the outbox backlog. */
class LiveMetrics {
  delivered = 0;
  failedDeliveries = 0;
  pending = new Map<string, number>();
  private readonly rules = new Map<string, { at: number; lag: number | undefined }>();

  constructor(private readonly summary: WatchSummary) {}

  execution(ruleId: string, at: number, lag: number | undefined) {
    this.rules.set(ruleId, { at, lag });
  }

  snapshot(): MetricsSnapshot {
    const perRule = (value: (r: { at: number; lag: number | undefined }) => number | undefined) =>
      [...this.rules].flatMap(([rule_id, r]) => {
        const v = value(r);
        return v === undefined ? [] : [{ labels: { rule_id }, value: v }];
      });
    return {
      objects_read_total: this.summary.objects,
      records_read_total: this.summary.records,
      executions_total: this.summary.executions,
      alerts_total: this.summary.newAlerts,
      problems_total: this.summary.problems,
      deliveries_total: this.delivered,
      delivery_failures_total: this.failedDeliveries,
      outbox_pending: [...this.pending].map(([sink, value]) => ({ labels: { sink }, value })),
      rule_last_execution_timestamp_seconds: perRule((r) => r.at / 1000),
      rule_lag_seconds: perRule((r) => (r.lag === undefined ? undefined : r.lag / 1000)),
    };
  }
}
