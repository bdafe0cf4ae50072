import assert from "node:assert/strict";
import { test } from "node:test";
import { cloudtrailSchema, cloudtrailSchemaFor } from "../../src/ecs/index.ts";

test("field types follow the integration mapping", () => {
  const f = (p: string) => cloudtrailSchema.field(p);
  assert.deepEqual(f("aws.cloudtrail.response_elements"), { type: "keyword", ignoreAbove: 8191 });
  assert.deepEqual(f("aws.cloudtrail.request_parameters"), { type: "keyword", ignoreAbove: 8191 });
  assert.equal(f("source.ip")?.type, "ip");
  assert.equal(f("related.ip")?.type, "ip");
  assert.equal(f("source.as.number")?.type, "long");
  assert.equal(f("@timestamp")?.type, "date");
  assert.equal(f("aws.cloudtrail.user_identity.session_context.creation_date")?.type, "date");
  assert.equal(f("aws.cloudtrail.read_only")?.type, "boolean");
  assert.equal(f("aws.cloudtrail.management_event")?.type, "keyword");
  assert.deepEqual(f("event.dataset"), { type: "constant_keyword", constant: "aws.cloudtrail" });
  assert.deepEqual(f("data_stream.type"), { type: "constant_keyword", constant: "logs" });
  assert.equal(f("process.name")?.type, "keyword");
  assert.equal(f("no.such.field"), undefined);
  assert.equal(
    cloudtrailSchema.flattenedRoot?.("aws.cloudtrail.flattened.request_parameters.roleArn"),
    "aws.cloudtrail.flattened.request_parameters",
  );
  assert.deepEqual(cloudtrailSchemaFor("prod").field("data_stream.namespace"), {
    type: "constant_keyword",
    constant: "prod",
  });
});
