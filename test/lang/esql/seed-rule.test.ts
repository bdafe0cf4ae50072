/** The lateral-movement seed rule's ES|QL query, run as written over small hand-written CloudTrail documents. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parse } from "smol-toml";
import type { Document } from "../../../src/doc/document.ts";
import { compileEsql } from "../../../src/lang/esql/index.ts";
import { catalog, NOW, records } from "./helpers.ts";

const rulePath = new URL(
  "../../../../shared/reference/elastic-detection-rules/lateral_movement_k8_assumed_web_identity_session_with_multi_phase_api_use.toml",
  import.meta.url,
);
const rule = (parse(readFileSync(rulePath, "utf8")) as { rule: { query: string; language: string } }).rule;
const compiled = compileEsql(rule.query, catalog);

const responseElements = (key: string) =>
  `{audience=sts.amazonaws.com, assumedRoleUser={assumedRoleId=AROAEXAMPLE:botocore-session-1, arn=arn:aws:sts::111122223333:assumed-role/app/botocore-session-1}, credentials={accessKeyId=${key}, sessionToken=T, expiration=Apr 22, 2026 11:00:00 AM}, packedPolicySize=null, provider=arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC, subjectFromWebIdentityToken=system:serviceaccount:default:app}`;

function assume(key: string | null, at: string, extra: Partial<Document> = {}): Document {
  return {
    "@timestamp": at,
    event: { action: "AssumeRoleWithWebIdentity", outcome: key ? "success" : "failure" },
    user: { name: "system:serviceaccount:default:app" },
    source: { ip: "203.0.113.7", as: { organization: { name: "Evil Hosting" } } },
    user_agent: { original: "aws-sdk-go/1.0" },
    cloud: { account: { id: "111122223333" } },
    data_stream: { namespace: "default" },
    aws: {
      cloudtrail: {
        user_identity: { type: "WebIdentityUser" },
        ...(key ? { response_elements: responseElements(key) } : {}),
      },
    },
    ...extra,
  };
}

function call(action: string, key: string, at: string, type = "AssumedRole"): Document {
  return {
    "@timestamp": at,
    event: { action, outcome: "success" },
    user: { name: "app" },
    source: { ip: "198.51.100.9", as: { organization: { name: "Amazon.com, Inc." } } },
    user_agent: { original: "aws-cli/2.0" },
    cloud: { account: { id: "111122223333" } },
    data_stream: { namespace: "default" },
    aws: { cloudtrail: { user_identity: { type, access_key_id: key } } },
  };
}

const runRule = (docs: Document[]) => records(compiled.run(docs, { now: NOW }));

describe("lateral-movement seed rule", () => {
  it("compiles as a aggregating rule over logs-aws.cloudtrail-*", () => {
    assert.equal(rule.language, "esql");
    assert.deepEqual(compiled.sources, ["logs-aws.cloudtrail-*"]);
    assert.equal(compiled.aggregating, true);
    assert.deepEqual(compiled.metadataFields, []);
    assert.ok(compiled.rowFilter, "the leading WHERE reads only source fields");
    assert.notEqual(compiled.requiredFields, "*");
    assert.ok((compiled.requiredFields as string[]).includes("aws.cloudtrail.response_elements"));
  });

  it("alerts on an assume followed by two distinct sensitive actions with that key", () => {
    const result = compiled.run(
      [
        assume("ASIAXXX", "2026-05-01T10:00:00.000Z"),
        call("ListBuckets", "ASIAXXX", "2026-05-01T10:05:00.000Z"),
        call("GetSecretValue", "ASIAXXX", "2026-05-01T10:06:00.000Z"),
        call("GetSecretValue", "ASIAXXX", "2026-05-01T10:07:00.123Z"),
      ],
      { now: NOW },
    );
    assert.deepEqual(
      result.columns.map((c) => c.name),
      [
        "aws.cloudtrail.user_identity.access_key_id",
        "Esql.assume_count",
        "Esql.post_exploit_count",
        "Esql.attack_phases",
        "Esql.event_action_values",
        "Esql.source_ip_values",
        "Esql.source_as_organization_name_values",
        "Esql.user_name_values",
        "Esql.user_agent_original_values",
        "Esql.cloud_account_id_values",
        "Esql.data_stream_namespace_values",
        "Esql.first_seen",
        "Esql.last_seen",
        "Esql.total_calls",
      ],
    );
    const [alert] = records(result);
    assert.equal(result.rows.length, 1);
    assert.equal(alert["aws.cloudtrail.user_identity.access_key_id"], "ASIAXXX");
    assert.equal(alert["Esql.assume_count"], 1);
    assert.equal(alert["Esql.post_exploit_count"], 3, "COUNT_DISTINCT includes the assume itself");
    assert.deepEqual(alert["Esql.attack_phases"], ["credential_access", "initial_access", "recon"]);
    assert.deepEqual(alert["Esql.event_action_values"], ["AssumeRoleWithWebIdentity", "GetSecretValue", "ListBuckets"]);
    assert.deepEqual(alert["Esql.source_ip_values"], ["198.51.100.9", "203.0.113.7"]);
    assert.equal(alert["Esql.first_seen"], "2026-05-01T10:00:00.000Z");
    assert.equal(alert["Esql.last_seen"], "2026-05-01T10:07:00.123Z");
    assert.equal(alert["Esql.total_calls"], 4);
    assert.equal(alert["Esql.cloud_account_id_values"], "111122223333", "one value stays a single value");
    assert.deepEqual(result.groupKeys, [JSON.stringify(["ASIAXXX"])]);
    assert.deepEqual(result.groupRowCounts, [4]);
  });

  it("does not alert with only one follow-on action", () => {
    assert.deepEqual(
      runRule([assume("ASIAXXX", "2026-05-01T10:00:00Z"), call("ListBuckets", "ASIAXXX", "2026-05-01T10:01:00Z")]),
      [],
    );
  });

  it("counts DescribeParameters and ListKeys as actions but gives them no phase", () => {
    const [alert] = runRule([
      assume("ASIAKEY2", "2026-05-01T10:00:00Z"),
      call("DescribeParameters", "ASIAKEY2", "2026-05-01T10:01:00Z"),
      call("ListKeys", "ASIAKEY2", "2026-05-01T10:02:00Z"),
    ]);
    assert.equal(alert["Esql.post_exploit_count"], 3);
    assert.equal(alert["Esql.attack_phases"], "initial_access");
  });

  it("ignores follow-on calls not made by an assumed role", () => {
    assert.deepEqual(
      runRule([
        assume("ASIAXXX", "2026-05-01T10:00:00Z"),
        call("ListBuckets", "ASIAXXX", "2026-05-01T10:01:00Z", "IAMUser"),
        call("GetSecretValue", "ASIAXXX", "2026-05-01T10:02:00Z", "IAMUser"),
      ]),
      [],
    );
  });

  it("a failed assume issues no key, so it ties to nothing and its null-key group is dropped", () => {
    const result = compileEsql(
      rule.query.replace(/\| WHERE access_key is not null[\s\S]*$/, "| KEEP access_key, Esql.total_calls"),
      catalog,
    ).run(
      [
        assume(null, "2026-05-01T10:00:00Z"),
        call("ListBuckets", "ASIAOTHER", "2026-05-01T10:01:00Z"),
        call("GetSecretValue", "ASIAOTHER", "2026-05-01T10:02:00Z"),
      ],
      { now: NOW },
    );
    const groups = records(result);
    assert.deepEqual(
      groups.find((g) => g.access_key === null),
      { access_key: null, "Esql.total_calls": 1 },
      "the assume without credentials lands in the null-key group",
    );
    assert.deepEqual(
      runRule([
        assume(null, "2026-05-01T10:00:00Z"),
        call("ListBuckets", "ASIAOTHER", "2026-05-01T10:01:00Z"),
        call("GetSecretValue", "ASIAOTHER", "2026-05-01T10:02:00Z"),
      ]),
      [],
    );
  });

  it("requires the assume's user to be a Kubernetes service account", () => {
    const outsider = assume("ASIAXXX", "2026-05-01T10:00:00Z", { user: { name: "alice" } });
    assert.deepEqual(
      runRule([
        outsider,
        call("ListBuckets", "ASIAXXX", "2026-05-01T10:01:00Z"),
        call("GetSecretValue", "ASIAXXX", "2026-05-01T10:02:00Z"),
      ]),
      [],
    );
  });

  it("the row filter keeps exactly the documents the WHERE keeps", () => {
    const filter = compiled.rowFilter!;
    assert.equal(filter(assume("ASIAXXX", "2026-05-01T10:00:00Z")), true);
    assert.equal(filter(call("ListBuckets", "K", "2026-05-01T10:00:00Z")), true);
    assert.equal(filter(call("PutObject", "K", "2026-05-01T10:00:00Z")), false);
    assert.equal(filter(call("ListBuckets", "K", "2026-05-01T10:00:00Z", "IAMUser")), false);
  });

  it("gives the same alerts when the caller applied the row filter itself", () => {
    const docs = [
      assume("ASIAXXX", "2026-05-01T10:00:00Z"),
      call("ListBuckets", "ASIAXXX", "2026-05-01T10:01:00Z"),
      call("PutObject", "ASIAXXX", "2026-05-01T10:01:30Z"),
      call("Decrypt", "ASIAXXX", "2026-05-01T10:02:00Z"),
    ];
    const prefiltered = docs.filter(compiled.rowFilter!);
    assert.equal(prefiltered.length, 3);
    assert.deepEqual(compiled.run(prefiltered, { now: NOW, skipRowFilter: true }), compiled.run(docs, { now: NOW }));
  });
});

describe("GROK on the Java-map response_elements", () => {
  it("extracts the issued access key id", () => {
    const q = `FROM logs-aws.cloudtrail-* | GROK aws.cloudtrail.response_elements "accessKeyId=%{NOTSPACE:issued_key_id}," | KEEP issued_key_id`;
    const result = compileEsql(q, catalog).run(
      [assume("ASIAXXX", "2026-05-01T10:00:00Z"), assume(null, "2026-05-01T10:00:00Z")],
      { now: NOW },
    );
    assert.deepEqual(result.rows, [["ASIAXXX"], [null]]);
  });

  it("backtracks a greedy NOTSPACE to the comma, and captures a trailing brace when the key ends its map", () => {
    const q = `FROM logs-aws.cloudtrail-* | GROK aws.cloudtrail.response_elements "accessKeyId=%{NOTSPACE:k}," | KEEP k`;
    const docs = [
      { aws: { cloudtrail: { response_elements: "{credentials={accessKeyId=ASIA1,sessionToken=x, y=z}" } } },
      { aws: { cloudtrail: { response_elements: "{credentials={sessionToken=T, accessKeyId=ASIA2}, x=y}" } } },
    ];
    assert.deepEqual(compileEsql(q, catalog).run(docs, { now: NOW }).rows, [["ASIA1,sessionToken=x"], ["ASIA2}"]]);
  });
});
