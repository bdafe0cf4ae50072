/**
 * New terms rules over hand-written CloudTrail records through `scan`, and the plan itself: a tuple alerts the first
 * time an execution sees it with nothing in its history window, once, from its earliest document.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, test } from "node:test";
import type { AlertDocument } from "../../src/alerts/build.ts";
import type { Document } from "../../src/doc/document.ts";
import { cloudtrailSchema } from "../../src/ecs/index.ts";
import { RuleWarnings } from "../../src/engine/candidate.ts";
import { type NewTermsRulePlan } from "../../src/engine/new-terms-rule.ts";
import { planRules } from "../../src/engine/plans.ts";
import { executionAt, tickAtOrAfter } from "../../src/engine/schedule.ts";
import { scan } from "../../src/engine/index.ts";
import { createEnricher } from "../../src/enrich/index.ts";
import type { Rule } from "../../src/rules/index.ts";
import { ACCOUNT, assumedRoleCall, type CloudTrailRecord, writeArchive } from "../helpers/cloudtrail.ts";
import { newTermsRule } from "../helpers/rules.ts";

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const T0 = Date.parse("2026-11-01T10:00:00Z");
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

let ids = 0;
/** A ListUsers call by `user` (a role session name) at T0 + offset, touching `resources` if given. */
function call(offsetMs: number, user: string, resources?: string[]): CloudTrailRecord {
  const record = assumedRoleCall({ at: new Date(T0 + offsetMs).toISOString(), action: "ListUsers" });
  const identity = record.userIdentity as Record<string, unknown>;
  identity.arn = `arn:aws:sts::${ACCOUNT}:assumed-role/app/${user}`;
  record.eventID = `nt-${++ids}`;
  if (resources) record.resources = resources.map((ARN) => ({ ARN, accountId: ACCOUNT, type: "AWS::S3::Bucket" }));
  return record;
}

async function run(rule: Rule, records: CloudTrailRecord[]) {
  const dir = writeArchive([records]);
  dirs.push(dir);
  const result = await scan({ inputs: [dir], rules: [rule], enricher: createEnricher({}) });
  assert.deepEqual(result.skipped, []);
  const alerts = result.alerts;
  return { alerts, outcome: result.rules[0], source: (a: AlertDocument) => a["kibana.alert.original_event.id"] };
}

const ARN = ["aws.cloudtrail.user_identity.arn"];
const arnOf = (user: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/app/${user}`;

test("a tuple first seen alerts once, from its earliest document, with the tuple in new_terms", async () => {
  const first = call(30_000, "alice");
  const { alerts, outcome } = await run(newTermsRule(ARN), [first, call(2 * MIN, "alice"), call(20 * MIN, "alice")]);
  assert.equal(alerts.length, 1);
  assert.equal(outcome.alerts, 1);
  const [alert] = alerts;
  assert.equal(alert["kibana.alert.original_event.id"], first.eventID);
  assert.deepEqual(alert["kibana.alert.new_terms"], [arnOf("alice")]);
  assert.equal(alert["kibana.alert.rule.type"], "new_terms");
  assert.equal(alert["kibana.alert.rule.rule_type_id"], "siem.newTermsRule");
  assert.equal(alert["@timestamp"], new Date(T0 + 5 * MIN).toISOString());
});

test("a tuple seen within the history window does not alert again; one seen only before it does", async () => {
  const day1 = call(0, "bob");
  const day3 = call(2 * DAY, "bob");
  const day10 = call(9 * DAY, "bob");
  const { alerts } = await run(newTermsRule(ARN), [day1, day3, day10]);
  assert.deepEqual(
    alerts.map((a) => [a["kibana.alert.original_event.id"], a["@timestamp"]]),
    [
      [day1.eventID, new Date(T0).toISOString()],
      // At the T0+9d execution the day-3 call opens its history window (inclusive); at the next, it has left it.
      [day10.eventID, new Date(T0 + 9 * DAY + 5 * MIN).toISOString()],
    ],
  );
});

test("overlapping windows see the same first document and do not alert twice", async () => {
  // 10:04:30 lies in the windows of the 10:05 and the 10:10 executions.
  const late = call(4.5 * MIN, "carol");
  const { alerts } = await run(newTermsRule(ARN), [late]);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]["@timestamp"], new Date(T0 + 5 * MIN).toISOString());
});

test("multi-valued fields alert for each new combination", async () => {
  const fields = [...ARN, "aws.cloudtrail.resources.arn"];
  const first = call(MIN, "dave", ["arn:aws:s3:::b1", "arn:aws:s3:::b2"]);
  const second = call(DAY, "dave", ["arn:aws:s3:::b2", "arn:aws:s3:::b3"]);
  const { alerts } = await run(newTermsRule(fields), [first, second]);
  assert.deepEqual(
    alerts.map((a) => [a["kibana.alert.original_event.id"], a["kibana.alert.new_terms"]]),
    [
      [first.eventID, [arnOf("dave"), "arn:aws:s3:::b1"]],
      [first.eventID, [arnOf("dave"), "arn:aws:s3:::b2"]],
      [second.eventID, [arnOf("dave"), "arn:aws:s3:::b3"]],
    ],
  );
  assert.equal(new Set(alerts.map((a) => a["kibana.alert.uuid"])).size, 3);
});

test("a document missing a new terms field holds no tuple and raises nothing", async () => {
  const fields = [...ARN, "aws.cloudtrail.resources.arn"];
  const { alerts, outcome } = await run(newTermsRule(fields), [call(MIN, "erin"), call(2 * MIN, "erin")]);
  assert.equal(alerts.length, 0);
  assert.equal(outcome.candidates, 0);
});

test("max_signals caps each execution; tuples left over alert in the next one while in its window", async () => {
  const rule = newTermsRule(ARN, { maxSignals: 2 });
  // All three lie in the 10:05 and the 10:10 windows; only the 10:05 one holds the early one.
  const records = [call(4.2 * MIN, "zed"), call(4.4 * MIN, "amy"), call(4.6 * MIN, "kim")];
  records.push(call(0.5 * MIN, "lou"));
  const { alerts, outcome } = await run(rule, records);
  const at = (a: AlertDocument) => [a["@timestamp"], (a["kibana.alert.new_terms"] as string[])[0]];
  // Composite order: amy, kim, lou, zed; lou has left the window by 10:10 and never alerts.
  assert.deepEqual(alerts.map(at), [
    [new Date(T0 + 5 * MIN).toISOString(), arnOf("amy")],
    [new Date(T0 + 5 * MIN).toISOString(), arnOf("kim")],
    [new Date(T0 + 10 * MIN).toISOString(), arnOf("zed")],
  ]);
  assert.match(outcome.warnings.join("\n"), /max_signals \(2\)/);
});

test("a tuple first seen exactly at an execution's `from` is history to it (Kibana: first_seen > from)", async () => {
  // Every 10 minutes over the last 5: the 10:00 execution covers 09:55–10:00, and no later one reaches back there.
  const rule = newTermsRule(ARN, { interval: "10m", from: "now-5m", intervalMs: 10 * MIN, lookbackMs: 5 * MIN });
  const atFrom = call(-5 * MIN, "ann");
  const justAfter = call(-5 * MIN + 1, "ben");
  const { alerts } = await run(rule, [atFrom, justAfter]);
  assert.deepEqual(
    alerts.map((a) => a["kibana.alert.original_event.id"]),
    [justAfter.eventID],
  );
});

/** A plan for hand-built ECS documents: `event.action: "X"` with user.name as the new term. */
function plan(extra: Partial<Rule> = {}): NewTermsRulePlan {
  const rule = newTermsRule(["user.name"], { query: 'event.action: "X"', ...extra });
  const { plans, warnings } = planRules([rule], {
    schema: cloudtrailSchema,
    index: "logs-aws.cloudtrail-default",
    kibanaCompatible: false,
  });
  assert.deepEqual(warnings, []);
  return plans[0] as NewTermsRulePlan;
}

const doc = (t: number, user: string | string[]): Document => ({
  "@timestamp": new Date(t).toISOString(),
  event: { action: "X" },
  user: { name: user },
});

test("a document contributes at most 100 combinations", () => {
  const users = Array.from({ length: 150 }, (_, i) => `u${String(i).padStart(3, "0")}`);
  assert.equal(plan().tuples(doc(T0, users)).length, 100);
});

test("replay equals running every execution on its history, over an irregular stream", () => {
  // Interval 1h, look-back 3h, history 5h: documents leave the history window while others are still in the window.
  const extra: Partial<Rule> = {
    interval: "1h",
    from: "now-3h",
    intervalMs: 60 * MIN,
    lookbackMs: 180 * MIN,
    maxSignals: 2,
    newTerms: { fields: ["user.name"], historyWindowStart: "now-5h" },
  };
  const replayed = plan(extra);
  const stepped = plan(extra);
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const candidates = [];
  for (let i = 0; i < 300; i++) {
    const t = T0 + Math.floor(random() * 3 * DAY);
    const users = random() < 0.2 ? ["u1", `u${Math.floor(random() * 9)}`] : `u${Math.floor(random() * 9)}`;
    replayed.offer(doc(t, users), `d${i}`);
    const c = stepped.select(doc(t, users), `d${i}`);
    if (c) candidates.push(c);
  }
  const fromReplay: string[] = [];
  replayed.replay((a) => fromReplay.push(`${a["@timestamp"]} ${a["kibana.alert.uuid"]}`), new RuleWarnings());

  const fromSteps: string[] = [];
  const created = new Set<string>();
  const last = Math.max(...candidates.map((c) => c.time));
  const rule = stepped.rule;
  for (let tick = tickAtOrAfter(T0, rule.intervalMs); tick <= last + 6 * 60 * MIN; tick += rule.intervalMs) {
    const execution = executionAt(tick, rule);
    const history = candidates.filter((c) => c.time >= tick - stepped.historyMs && c.time <= tick);
    const fresh = stepped.execute(execution, history, (id) => created.has(id), new RuleWarnings());
    assert.ok(fresh.length <= rule.maxSignals);
    for (const a of fresh) {
      created.add(a.id);
      fromSteps.push(`${a.alert["@timestamp"]} ${a.id}`);
    }
  }
  assert.ok(fromSteps.length > 20, `${fromSteps.length} alerts`);
  assert.deepEqual(fromReplay, fromSteps);
});

test("fields that cannot be aggregated and a history no longer than the look-back are refused", () => {
  const options = { schema: cloudtrailSchema, index: "logs-aws.cloudtrail-default", kibanaCompatible: false };
  const text = newTermsRule(["source.geo.location"]);
  const short = newTermsRule(ARN, { newTerms: { fields: ARN, historyWindowStart: "now-6m" } });
  const { plans, warnings } = planRules([text, short], options);
  assert.equal(plans.length, 0);
  assert.match(warnings[0], /new_terms_fields: source.geo.location is a geo_point field, which cannot be aggregated/);
  assert.match(warnings[1], /history_window_start now-6m must be earlier than from/);
});
