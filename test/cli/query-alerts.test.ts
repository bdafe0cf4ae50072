/** `trailwatch query 'FROM .alerts-security.* | …' alerts.ndjson`: ES|QL over the alerts `trailwatch scan` wrote. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { runCli } from "../helpers/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "tw-query-alerts-"));
const alertsFile = join(dir, "alerts.ndjson");
after(() => rmSync(dir, { recursive: true, force: true }));

before(() => {
  const scanned = runCli(["scan", "samples/eks-irsa", "--format", "ndjson", "--output", alertsFile, "--quiet"]);
  assert.equal(scanned.code, 0, scanned.stderr);
});

function query(esql: string, ...inputs: string[]) {
  return runCli(["query", esql, ...(inputs.length ? inputs : [alertsFile]), "--format", "ndjson"]);
}

/** The alerts scan wrote, as the test reads them itself. */
function written(): Record<string, unknown>[] {
  return rows(readFileSync(alertsFile, "utf8"));
}

function rows(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

test("STATS over the scan's alerts: per rule, counts and numeric risk scores", () => {
  const { code, stdout, stderr } = query(
    "FROM .alerts-security.* | WHERE kibana.alert.workflow_status == \"open\" " +
      "| STATS alerts = COUNT(*), max_risk = MAX(kibana.alert.risk_score) BY kibana.alert.rule.name " +
      "| SORT kibana.alert.rule.name",
  );
  assert.equal(code, 0, stderr);
  const perRule = new Map<string, number>();
  for (const alert of written()) {
    const name = String(alert["kibana.alert.rule.name"]);
    perRule.set(name, (perRule.get(name) ?? 0) + 1);
  }
  const out = rows(stdout);
  assert.ok(out.length > 0);
  assert.deepEqual(
    out.map((r) => [r["kibana.alert.rule.name"], r.alerts]),
    [...perRule].sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  for (const row of out) assert.equal(typeof row.max_risk, "number");
});

test("source fields of event alerts, KQL() over alert fields, and _id from METADATA", () => {
  const { code, stdout, stderr } = query(
    "FROM .alerts-security.* METADATA _id, _index " +
      "| WHERE source.ip IS NOT NULL AND KQL(\"\"\"kibana.alert.rule.tags : \"Domain: Cloud\" \"\"\") " +
      "| KEEP _id, _index, source.ip, kibana.alert.severity",
  );
  assert.equal(code, 0, stderr);
  const out = rows(stdout);
  assert.ok(out.length >= 1, stdout);
  for (const row of out) {
    assert.match(String(row._id), /^[0-9a-f]{64}$/);
    assert.equal(row._index, ".alerts-security.alerts-default");
    assert.equal(typeof row["source.ip"], "string");
  }
});

test("the alerts mapping is Kibana's: integration fields such as aws.* are unknown columns", () => {
  const { code, stderr } = query("FROM .alerts-security.* | KEEP aws.cloudtrail.user_identity.access_key_id");
  assert.equal(code, 1);
  assert.match(stderr, /Unknown column \[aws\.cloudtrail\.user_identity\.access_key_id\]/);
});

test("a line that is not an alert is named and skipped; the rest is queried, exit code 2", () => {
  const mixed = join(dir, "mixed.ndjson");
  writeFileSync(mixed, `{"eventName":"GetCallerIdentity"}\n`);
  const { code, stdout, stderr } = query("FROM .alerts-security.* | STATS n = COUNT(*)", alertsFile, mixed);
  assert.equal(code, 2);
  assert.equal(rows(stdout)[0].n, written().length);
  assert.match(stderr, /mixed\.ndjson: not an alert document/);
});

test("FROM both CloudTrail and alerts, or neither, is a usage error", () => {
  const both = query("FROM logs-aws.cloudtrail-*, .alerts-security.* | LIMIT 1");
  assert.equal(both.code, 1);
  assert.match(both.stderr, /not both/);
  const neither = query("FROM logs-gcp.audit-* | LIMIT 1");
  assert.equal(neither.code, 1);
  assert.match(neither.stderr, /logs-aws\.cloudtrail-\* or \.alerts-security\.\* only/);
});
