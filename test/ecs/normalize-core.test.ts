import assert from "node:assert/strict";
import { test } from "node:test";
import { fieldValues } from "../../src/doc/document.ts";
import { normalizeRecord } from "../../src/ecs/index.ts";

const webIdentity = JSON.stringify({
  eventVersion: "1.08",
  userIdentity: {
    type: "WebIdentityUser",
    principalId:
      "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC:sts.amazonaws.com:system:serviceaccount:ns:sa",
    userName: "system:serviceaccount:ns:sa",
    identityProvider: "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC",
  },
  eventTime: "2025-01-01T00:00:00.123456Z",
  eventSource: "sts.amazonaws.com",
  eventName: "AssumeRoleWithWebIdentity",
  awsRegion: "us-west-2",
  sourceIPAddress: "eks.amazonaws.com",
  userAgent: "aws-sdk-go/1.55.5 (go1.22.5; linux; amd64)",
  requestParameters: {
    roleArn: "arn:aws:iam::111111111111:role/my-role",
    roleSessionName: "botocore-session-1",
    durationSeconds: 3600,
  },
  responseElements: {
    credentials: { accessKeyId: "ASIAEXAMPLE", sessionToken: "TOKEN", expiration: "Jan 1, 2025, 1:00:00 AM" },
    subjectFromWebIdentityToken: "system:serviceaccount:ns:sa",
    assumedRoleUser: {
      assumedRoleId: "AROAEXAMPLE:botocore-session-1",
      arn: "arn:aws:sts::111111111111:assumed-role/my-role/botocore-session-1",
    },
    provider: "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC",
    audience: "sts.amazonaws.com",
  },
  requestID: "req-1",
  eventID: "evt-1",
  eventType: "AwsApiCall",
  recipientAccountId: "111111111111",
});

test("WebIdentityUser keeps its service-account userName and gets the recipient account", () => {
  const doc = normalizeRecord(webIdentity);
  assert.deepEqual(fieldValues(doc, "user.name"), ["system:serviceaccount:ns:sa"]);
  assert.deepEqual(fieldValues(doc, "cloud.account.id"), ["111111111111"]);
  assert.deepEqual(fieldValues(doc, "@timestamp"), ["2025-01-01T00:00:00.123Z"]);
  assert.deepEqual(fieldValues(doc, "source.address"), ["eks.amazonaws.com"]);
  assert.deepEqual(fieldValues(doc, "source.ip"), []);
  assert.deepEqual(fieldValues(doc, "event.outcome"), ["success"]);
  assert.deepEqual(fieldValues(doc, "event.category"), []);
  assert.equal(
    fieldValues(doc, "aws.cloudtrail.response_elements")[0],
    "{audience=sts.amazonaws.com, assumedRoleUser={assumedRoleId=AROAEXAMPLE:botocore-session-1, arn=arn:aws:sts::111111111111:assumed-role/my-role/botocore-session-1}, credentials={accessKeyId=ASIAEXAMPLE, sessionToken=TOKEN, expiration=Jan 1, 2025, 1:00:00 AM}, provider=arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC, subjectFromWebIdentityToken=system:serviceaccount:ns:sa}",
  );
  assert.equal(
    fieldValues(doc, "aws.cloudtrail.request_parameters")[0],
    "{durationSeconds=3600, roleArn=arn:aws:iam::111111111111:role/my-role, roleSessionName=botocore-session-1}",
  );
  assert.deepEqual(fieldValues(doc, "data_stream.namespace"), ["default"]);
  assert.deepEqual(fieldValues(doc, "event.original"), []);
});

test("options: namespace, ingested in whole seconds, keepOriginal", () => {
  const doc = normalizeRecord(webIdentity, {
    namespace: "prod",
    ingested: new Date("2025-02-03T04:05:06.789Z"),
    keepOriginal: true,
  });
  assert.deepEqual(fieldValues(doc, "data_stream.namespace"), ["prod"]);
  assert.deepEqual(fieldValues(doc, "event.ingested"), ["2025-02-03T04:05:06Z"]);
  assert.deepEqual(fieldValues(doc, "event.original"), [webIdentity]);
});

test("only whole IPv4/IPv6 literals become source.ip", () => {
  const ip = (address: string) =>
    fieldValues(
      normalizeRecord(JSON.stringify({ eventTime: "2025-01-01T00:00:00Z", sourceIPAddress: address })),
      "source.ip",
    );
  assert.deepEqual(ip("203.0.113.9"), ["203.0.113.9"]);
  assert.deepEqual(ip("2001:db8::1"), ["2001:db8::1"]);
  assert.deepEqual(ip("AWS Internal"), []);
  assert.deepEqual(ip("ec2.amazonaws.com"), []);
  assert.deepEqual(ip("203.0.113.9, 10.0.0.1"), []);
});

test("AssumedRole: user.name is the issuer role; the session name goes to related.user", () => {
  const doc = normalizeRecord(
    JSON.stringify({
      eventTime: "2025-01-01T00:00:00Z",
      eventName: "GetSecretValue",
      userIdentity: {
        type: "AssumedRole",
        principalId: "AROAX:sess",
        arn: "arn:aws:sts::1:assumed-role/role-a/sess",
        accountId: "1",
        accessKeyId: "ASIAKEY",
        sessionContext: { sessionIssuer: { type: "Role", userName: "role-a", arn: "arn:aws:iam::1:role/role-a" } },
      },
      errorCode: "AccessDenied",
    }),
  );
  assert.deepEqual(fieldValues(doc, "user.name"), ["role-a"]);
  assert.deepEqual(fieldValues(doc, "user.id"), ["AROAX:sess"]);
  assert.deepEqual(fieldValues(doc, "aws.cloudtrail.user_identity.access_key_id"), ["ASIAKEY"]);
  assert.deepEqual(fieldValues(doc, "related.user"), ["sess", "AROAX:sess", "role-a"]);
  assert.deepEqual(fieldValues(doc, "event.outcome"), ["failure"]);
  assert.deepEqual(fieldValues(doc, "event.type"), ["info"]);
});

test("malformed records become pipeline errors, never exceptions", () => {
  const cases = [
    "not json",
    '{"eventTime":"2025-01-01T00:00:00Z","eventID":"a","eventID":"b"}',
    '{"eventTime":"2025-01-01T00:00:00Z","requestParameters":{"a":1,"a":2}}',
    '{"eventTime":"yesterday"}',
    '{"eventTime":"2025-01-01T00:00:00Z","userIdentity":"root"}',
    '{"eventTime":"2025-01-01T00:00:00Z","eventName":"X","requestParameters":["a","b"]}',
    `{"eventTime":"2025-01-01T00:00:00Z","requestParameters":${"[".repeat(5000)}${"]".repeat(5000)}}`,
    "[1,2]",
  ];
  for (const raw of cases) {
    const doc = normalizeRecord(raw);
    assert.deepEqual(fieldValues(doc, "event.kind"), ["pipeline_error"], raw.slice(0, 80));
    assert.equal(fieldValues(doc, "error.message").length, 1, raw.slice(0, 80));
    assert.deepEqual(fieldValues(doc, "event.original"), [raw]);
  }
});

test("a requestParameters array is serialized before the pipeline fails on it", () => {
  const doc = normalizeRecord('{"eventTime":"2025-01-01T00:00:00Z","eventName":"X","requestParameters":["a",1.0]}');
  assert.deepEqual(fieldValues(doc, "aws.cloudtrail.request_parameters"), ["[a, 1.0]"]);
  assert.match(String(fieldValues(doc, "error.message")[0]), /append_related_user_0121b806/);
});

test("a 50 MB responseElements is serialized without blowing up", () => {
  const big = "x".repeat(50 * 1024 * 1024);
  const doc = normalizeRecord(`{"eventTime":"2025-01-01T00:00:00Z","responseElements":{"blob":"${big}"}}`);
  const text = fieldValues(doc, "aws.cloudtrail.response_elements")[0] as string;
  assert.equal(text.length, big.length + "{blob=}".length);
  // Too long for a flattened copy.
  assert.deepEqual(fieldValues(doc, "aws.cloudtrail.flattened.response_elements.blob"), []);
});
