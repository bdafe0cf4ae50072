/**
 * The two built-in IRSA rules, end to end through `scan`: hand-written CloudTrail records, each test showing one
 * behaviour of the rules as Elastic wrote them.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { AlertDocument } from "../../src/alerts/index.ts";
import { scan } from "../../src/engine/index.ts";
import { createEnricher, loadBundledAsn } from "../../src/enrich/index.ts";
import { builtinRules } from "../../src/rules/index.ts";
import {
  AMAZON_IP,
  assumedRoleCall,
  type CloudTrailRecord,
  OUTSIDE_IP,
  OUTSIDE_IPV6,
  webIdentityAssume,
  writeArchive,
} from "../helpers/cloudtrail.ts";

const LATERAL = "a1b2c3d4-e5f6-4789-a0b1-c2d3e4f5a6b7";
const EXTERNAL_ASN = "ae32268b-bfd0-4c35-b002-13461b5830ca";
const enricher = createEnricher({ asn: loadBundledAsn() });

async function run(files: CloudTrailRecord[][], kibanaCompatible = false) {
  const result = await scan({ inputs: [writeArchive(files)], rules: builtinRules(), enricher, kibanaCompatible });
  assert.deepEqual(result.problems, []);
  return result;
}
const byRule = (alerts: AlertDocument[], id: string) => alerts.filter((a) => a["kibana.alert.rule.rule_id"] === id);

test("assume + two distinct follow-on actions alert once: the distinct count includes the assume", async () => {
  const { alerts } = await run([
    [
      webIdentityAssume({ at: "2026-11-20T10:00:00Z" }),
      assumedRoleCall({ at: "2026-11-20T10:01:00Z", action: "ListRoles" }),
      assumedRoleCall({ at: "2026-11-20T10:02:00Z", action: "GetSecretValue", source: "secretsmanager.amazonaws.com" }),
      assumedRoleCall({ at: "2026-11-20T10:03:00Z", action: "GetSecretValue", source: "secretsmanager.amazonaws.com" }),
    ],
  ]);
  const [alert, ...rest] = byRule(alerts, LATERAL);
  assert.equal(rest.length, 0);
  assert.equal(alert["aws.cloudtrail.user_identity.access_key_id"], "ASIATESTKEY000000001");
  assert.equal(alert["Esql.post_exploit_count"], 3);
  assert.equal(alert["Esql.assume_count"], 1);
  assert.equal(alert["Esql.total_calls"], 4);
  assert.deepEqual([...(alert["Esql.attack_phases"] as string[])].sort(), [
    "credential_access",
    "initial_access",
    "recon",
  ]);
  assert.equal(alert["Esql.first_seen"], "2026-11-20T10:00:00.000Z");
  assert.equal(alert["Esql.last_seen"], "2026-11-20T10:03:00.000Z");
  // Follow-on calls carry the role name as user.name (the session-issuer override), the assume the service account.
  assert.deepEqual([...(alert["Esql.user_name_values"] as string[])].sort(), [
    "app",
    "system:serviceaccount:payments:api",
  ]);
  assert.equal(alert["kibana.alert.severity"], "high");
  assert.equal(alert["kibana.alert.risk_score"], 73);
});

test("assume + one follow-on action is below the bar", async () => {
  const { alerts } = await run([
    [
      webIdentityAssume({ at: "2026-11-20T10:00:00Z" }),
      assumedRoleCall({ at: "2026-11-20T10:01:00Z", action: "ListRoles" }),
    ],
  ]);
  assert.equal(byRule(alerts, LATERAL).length, 0);
});

test("DescribeParameters and ListKeys count as actions but add no phase", async () => {
  const { alerts } = await run([
    [
      webIdentityAssume({ at: "2026-11-20T10:00:00Z" }),
      assumedRoleCall({ at: "2026-11-20T10:01:00Z", action: "DescribeParameters", source: "ssm.amazonaws.com" }),
      assumedRoleCall({ at: "2026-11-20T10:02:00Z", action: "ListKeys", source: "kms.amazonaws.com" }),
    ],
  ]);
  const [alert] = byRule(alerts, LATERAL);
  assert.ok(alert, "three distinct actions alert");
  assert.equal(alert["Esql.post_exploit_count"], 3);
  assert.equal(alert["Esql.attack_phases"], "initial_access");
});

test("a failed assume issues no key, so later calls cannot join it", async () => {
  const { alerts } = await run([
    [
      webIdentityAssume({ at: "2026-11-20T10:00:00Z", failed: true }),
      assumedRoleCall({ at: "2026-11-20T10:01:00Z", action: "ListRoles" }),
      assumedRoleCall({ at: "2026-11-20T10:02:00Z", action: "ListUsers" }),
      assumedRoleCall({ at: "2026-11-20T10:03:00Z", action: "CreateUser" }),
    ],
  ]);
  assert.equal(byRule(alerts, LATERAL).length, 0);
});

test("a web identity that is not a Kubernetes service account never matches either rule", async () => {
  const subject = "repo:org/app:ref:refs/heads/main";
  const { alerts } = await run([
    [
      webIdentityAssume({ at: "2026-11-20T10:00:00Z", subject, ip: OUTSIDE_IP }),
      assumedRoleCall({ at: "2026-11-20T10:01:00Z", action: "ListRoles" }),
      assumedRoleCall({ at: "2026-11-20T10:02:00Z", action: "ListUsers" }),
      assumedRoleCall({ at: "2026-11-20T10:03:00Z", action: "CreateUser" }),
    ],
  ]);
  assert.deepEqual(alerts, []);
});

test("evidence spread wider than the 24 h look-back does not alert; a session inside one window alerts once", async () => {
  const spread = await run([
    [
      webIdentityAssume({ at: "2026-11-20T10:00:00Z" }),
      assumedRoleCall({ at: "2026-11-21T09:00:00Z", action: "ListRoles" }),
      assumedRoleCall({ at: "2026-11-22T08:30:00Z", action: "CreateUser" }),
    ],
  ]);
  assert.equal(byRule(spread.alerts, LATERAL).length, 0);

  const inside = await run([
    [
      webIdentityAssume({ at: "2026-11-20T10:00:00Z" }),
      assumedRoleCall({ at: "2026-11-20T16:00:00Z", action: "ListRoles" }),
      assumedRoleCall({ at: "2026-11-21T09:30:00Z", action: "CreateUser" }),
    ],
  ]);
  const alerts = byRule(inside.alerts, LATERAL);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]["Esql.total_calls"], 3);
});

test("--kibana-compatible re-alerts every hourly execution while the session stays in the 24 h window", async () => {
  const { alerts } = await run(
    [
      [
        webIdentityAssume({ at: "2026-11-20T10:00:00Z" }),
        assumedRoleCall({ at: "2026-11-20T10:01:00Z", action: "ListRoles" }),
        assumedRoleCall({ at: "2026-11-20T10:02:00Z", action: "CreateUser" }),
      ],
    ],
    true,
  );
  const lateral = byRule(alerts, LATERAL);
  // Executions at 11:00 … next day 10:00 inclusive all see 10:00–10:02 inside [now-24h, now].
  assert.equal(lateral.length, 24);
  assert.equal(new Set(lateral.map((a) => a["kibana.alert.uuid"])).size, 24);
});

test("excluded S3 object calls do not count toward the distinct actions", async () => {
  const { alerts } = await run([
    [
      webIdentityAssume({ at: "2026-11-20T10:00:00Z" }),
      assumedRoleCall({ at: "2026-11-20T10:01:00Z", action: "GetObject", source: "s3.amazonaws.com" }),
      assumedRoleCall({ at: "2026-11-20T10:02:00Z", action: "PutObject", source: "s3.amazonaws.com" }),
      assumedRoleCall({ at: "2026-11-20T10:03:00Z", action: "ListRoles" }),
    ],
  ]);
  assert.equal(byRule(alerts, LATERAL).length, 0);
});

test("a token exchanged from outside Amazon alerts, over IPv4 and IPv6; from Amazon it does not", async () => {
  const { alerts } = await run([
    [
      webIdentityAssume({ at: "2026-11-20T10:00:00Z", ip: OUTSIDE_IP, eventID: "outside-v4" }),
      webIdentityAssume({ at: "2026-11-20T10:05:00Z", ip: OUTSIDE_IPV6, eventID: "outside-v6" }),
      webIdentityAssume({ at: "2026-11-20T10:06:00Z", ip: AMAZON_IP, eventID: "inside" }),
    ],
  ]);
  const asn = byRule(alerts, EXTERNAL_ASN);
  assert.deepEqual(asn.map((a) => (a.event as { id: string }).id).sort(), ["outside-v4", "outside-v6"]);
  const v6 = asn.find((a) => (a.event as { id: string }).id === "outside-v6")!;
  assert.equal((v6.source as { ip: string }).ip, OUTSIDE_IPV6);
  assert.equal((v6.event as { kind: string }).kind, "signal");
  assert.equal(v6["kibana.alert.original_time"], "2026-11-20T10:05:00.000Z");
  assert.equal(v6["kibana.alert.rule.name"], "AWS AssumeRoleWithWebIdentity from Kubernetes SA and External ASN");
});

test("a hostname source has no AS organization and cannot fire the ASN rule", async () => {
  const { alerts } = await run([[webIdentityAssume({ at: "2026-11-20T10:00:00Z", ip: "eks.amazonaws.com" })]]);
  assert.equal(byRule(alerts, EXTERNAL_ASN).length, 0);
});

test("the same record delivered in two files alerts once", async () => {
  const record = webIdentityAssume({ at: "2026-11-20T10:00:00Z", ip: OUTSIDE_IP, eventID: "dup-1" });
  const { alerts, stats } = await run([[record], [record]]);
  assert.equal(byRule(alerts, EXTERNAL_ASN).length, 1);
  assert.equal(stats.duplicates, 1);
});
