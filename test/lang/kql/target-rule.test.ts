import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Document } from "../../../src/doc/document.ts";
import { mapSchema } from "../../../src/doc/schema.ts";
import { compileKql, parseKql } from "../../../src/lang/kql/index.ts";

// The IRSA rule's two published queries (version 1, then version 2's user.name value list).
const V1 = String.raw`data_stream.dataset:aws.cloudtrail and event.provider:sts.amazonaws.com and event.action:AssumeRoleWithWebIdentity and
 event.outcome:success and user.name:system\:serviceaccount\:* and source.as.organization.name:(* and not (Amazon* or AMAZON*))`;
const V2_USER = String.raw`user.name:(system\:serviceaccount\:* and not system\:serviceaccount\:kube-system\:aws-load-balancer-controller)`;

const schema = mapSchema({
  "data_stream.dataset": { type: "constant_keyword", constant: "aws.cloudtrail" },
  "event.provider": { type: "keyword" },
  "event.action": { type: "keyword" },
  "event.outcome": { type: "keyword" },
  "user.name": { type: "keyword" },
  "source.as.organization.name": { type: "keyword" },
});

function event(overrides: Record<string, unknown> = {}): Document {
  return {
    event: { provider: "sts.amazonaws.com", action: "AssumeRoleWithWebIdentity", outcome: "success" },
    user: { name: "system:serviceaccount:payments:api" },
    source: { as: { organization: { name: "DigitalOcean, LLC" } } },
    ...overrides,
  } as Document;
}

describe("the IRSA KQL rule", () => {
  it("parses into a conjunction with a distributed value list", () => {
    const node = parseKql(V1);
    assert.equal(node.type, "and");
    if (node.type !== "and") return;
    assert.equal(node.children.length, 6);
    const user = node.children[4];
    assert.equal(user.type, "is");
    if (user.type === "is") {
      assert.equal(user.field?.value, "user.name");
      assert.deepEqual(user.value.wildcard, ["system:serviceaccount:", ""]);
    }
    const asn = node.children[5];
    assert.equal(asn.type, "and");
    assert.equal(asn.valueList, true);
    if (asn.type === "and") {
      assert.equal(asn.children[0].type, "exists");
      assert.equal(asn.children[1].type, "not");
    }
  });

  it("matches a service-account exchange from a non-Amazon network", () => {
    const match = compileKql(V1, schema);
    assert.equal(match(event()), true);
  });

  it("relies on data_stream.dataset being a constant of the index, absent from the document", () => {
    const match = compileKql(V1, schema);
    const other = mapSchema({ "data_stream.dataset": { type: "constant_keyword", constant: "aws.guardduty" } });
    assert.equal(match(event()), true);
    assert.equal(compileKql(V1, other)(event()), false);
  });

  it("excludes Amazon and AMAZON prefixes case-sensitively, and requires the organization to exist", () => {
    const match = compileKql(V1, schema);
    assert.equal(match(event({ source: { as: { organization: { name: "Amazon.com, Inc." } } } })), false);
    assert.equal(match(event({ source: { as: { organization: { name: "AMAZON-02" } } } })), false);
    assert.equal(match(event({ source: { as: { organization: { name: "amazon data services" } } } })), true);
    assert.equal(match(event({ source: { ip: "1.2.3.4" } })), false);
  });

  it("requires the exact user-name prefix, the outcome and the action", () => {
    const match = compileKql(V1, schema);
    assert.equal(match(event({ user: { name: "System:serviceaccount:x" } })), false);
    assert.equal(match(event({ user: { name: "arn:system:serviceaccount:x" } })), false);
    assert.equal(
      match(event({ event: { provider: "sts.amazonaws.com", action: "AssumeRole", outcome: "success" } })),
      false,
    );
    assert.equal(
      match(
        event({ event: { provider: "sts.amazonaws.com", action: "AssumeRoleWithWebIdentity", outcome: "failure" } }),
      ),
      false,
    );
  });

  it("version 2 excludes the load balancer controller only", () => {
    const match = compileKql(V2_USER, schema);
    assert.equal(match(event()), true);
    assert.equal(
      match(event({ user: { name: "system:serviceaccount:kube-system:aws-load-balancer-controller" } })),
      false,
    );
    assert.equal(
      match(event({ user: { name: "system:serviceaccount:kube-system:aws-load-balancer-controller-2" } })),
      true,
    );
    assert.equal(match(event({ user: { name: "root" } })), false);
  });
});
