/** The actor_target_mapping entity script: per-service targets, typing, Painless quirks, on_failure. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { fieldValues } from "../../src/doc/document.ts";
import { normalizeRecord } from "../../src/ecs/index.ts";

const TAGGED = { tags: ["actor_target_mapping"] };
const IAM_USER = { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/alice", accessKeyId: "AKIAEXAMPLEEXAMPLE01" };

function record(fields: Record<string, unknown>): string {
  return JSON.stringify({
    eventVersion: "1.08",
    userIdentity: IAM_USER,
    eventTime: "2026-01-01T00:00:00Z",
    recipientAccountId: "111122223333",
    ...fields,
  });
}

test("without the actor_target_mapping tag the script does not run", () => {
  const doc = normalizeRecord(record({ eventSource: "sts.amazonaws.com", eventName: "GetCallerIdentity" }));
  assert.deepEqual(fieldValues(doc, "related.entity"), []);
  assert.deepEqual(fieldValues(doc, "actor.entity.id"), []);
});

test("iam AttachUserPolicy: targets typed by ARN resource type, related sorted and de-duplicated", () => {
  const doc = normalizeRecord(
    record({
      eventSource: "iam.amazonaws.com",
      eventName: "AttachUserPolicy",
      requestParameters: { userName: "bob", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
    }),
    TAGGED,
  );
  assert.deepEqual(fieldValues(doc, "target.entity.id"), ["arn:aws:iam::aws:policy/AdministratorAccess", "bob"]);
  assert.deepEqual(fieldValues(doc, "service.target.entity.id"), ["arn:aws:iam::aws:policy/AdministratorAccess"]);
  assert.deepEqual(fieldValues(doc, "entity.target.id"), ["bob"]);
  assert.deepEqual(fieldValues(doc, "user.entity.id"), [IAM_USER.arn]);
  assert.deepEqual(fieldValues(doc, "related.entity"), [
    "AKIAEXAMPLEEXAMPLE01",
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::aws:policy/AdministratorAccess",
    "bob",
  ]);
});

test("ec2 RunInstances: addValues stops at the first value already present (Java && short-circuit)", () => {
  const doc = normalizeRecord(
    record({
      eventSource: "ec2.amazonaws.com",
      eventName: "RunInstances",
      requestParameters: { subnetId: "subnet-1" },
      responseElements: {
        instancesSet: { items: [{ subnetId: "subnet-1", vpcId: "vpc-1", instanceId: "i-1", imageId: "ami-1" }] },
      },
    }),
    TAGGED,
  );
  const related = fieldValues(doc, "related.entity");
  assert.ok(related.includes("subnet-1"));
  assert.ok(!related.includes("vpc-1") && !related.includes("i-1"), JSON.stringify(related));
});

test("ssm SendCommand to every instance targets the account; host and service ids are typed by prefix", () => {
  const all = normalizeRecord(
    record({
      eventSource: "ssm.amazonaws.com",
      eventName: "SendCommand",
      requestParameters: { targets: [{ key: "InstanceIds", values: ["*"] }] },
    }),
    TAGGED,
  );
  assert.deepEqual(fieldValues(all, "entity.target.id"), ["111122223333"]);
  const some = normalizeRecord(
    record({
      eventSource: "ssm.amazonaws.com",
      eventName: "SendCommand",
      requestParameters: { instanceIds: ["i-0abc", "sg-0def"] },
    }),
    TAGGED,
  );
  assert.deepEqual(fieldValues(some, "host.target.entity.id"), ["i-0abc"]);
  assert.deepEqual(fieldValues(some, "service.target.entity.id"), ["sg-0def"]);
});

test("sts AssumeRole by an AWS service: the service is the actor; a service-linked role is a service", () => {
  const doc = normalizeRecord(
    record({
      userIdentity: { type: "AWSService", invokedBy: "ec2.amazonaws.com" },
      eventSource: "sts.amazonaws.com",
      eventName: "AssumeRole",
      requestParameters: { roleArn: "arn:aws:iam::111122223333:role/aws-service-role/x/AWSServiceRoleForX" },
    }),
    TAGGED,
  );
  assert.deepEqual(fieldValues(doc, "service.entity.id"), ["ec2.amazonaws.com"]);
  assert.deepEqual(fieldValues(doc, "service.target.entity.id"), [
    "arn:aws:iam::111122223333:role/aws-service-role/x/AWSServiceRoleForX",
  ]);
});

test("a value of the wrong type fails the script like Painless: error.message, tag, and the rest still mapped", () => {
  const doc = normalizeRecord(
    record({
      eventSource: "monitoring.amazonaws.com",
      eventName: "DeleteAlarms",
      requestParameters: { alarmNames: [42] },
    }),
    TAGGED,
  );
  assert.match(String(fieldValues(doc, "error.message")[0]), /tag 'script_append_related_entity'.*runtime error/s);
  assert.deepEqual(fieldValues(doc, "related.entity"), []);
  assert.ok((doc.tags as string[]).includes("preserve_original_event"));
  assert.equal(fieldValues(doc, "event.action")[0], "DeleteAlarms");
  assert.notEqual(fieldValues(doc, "event.kind")[0], "pipeline_error");
});
