import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Document } from "../../../src/doc/document.ts";
import { mapSchema } from "../../../src/doc/schema.ts";
import { QueryError } from "../../../src/lang/errors.ts";
import { compileKql, parseKql } from "../../../src/lang/kql/index.ts";

const schema = mapSchema({
  "data_stream.dataset": { type: "constant_keyword", constant: "aws.cloudtrail" },
  "data_stream.namespace": { type: "constant_keyword" },
  "event.action": { type: "keyword" },
  "event.category": { type: "keyword" },
  "user.name": { type: "keyword" },
  "user.id": { type: "keyword" },
  "user_agent.original": { type: "keyword" },
  "aws.cloudtrail.request_parameters": { type: "keyword", ignoreAbove: 20 },
  "aws.cloudtrail.flattened.request_parameters": { type: "flattened" },
  "aws.cloudtrail.read_only": { type: "boolean" },
  "source.ip": { type: "ip" },
  "source.as.number": { type: "long" },
  "metrics.ratio": { type: "float" },
  "metrics.score": { type: "double" },
  "@timestamp": { type: "date" },
  message: { type: "text" },
  "items.name": { type: "keyword" },
  "items.qty": { type: "long" },
});

function matches(query: string, doc: Document, options?: { splitWildcardOnWhitespace?: boolean; now?: number }) {
  return compileKql(query, schema, options)(doc);
}

function verificationError(query: string): QueryError {
  try {
    compileKql(query, schema);
  } catch (error) {
    assert.ok(error instanceof QueryError);
    return error;
  }
  throw new Error(`expected ${query} to be rejected`);
}

describe("KQL on keyword fields", () => {
  it("matches exactly and case-sensitively, quoted or not", () => {
    const doc = { event: { action: "GetObject" } };
    assert.equal(matches("event.action:GetObject", doc), true);
    assert.equal(matches('event.action:"GetObject"', doc), true);
    assert.equal(matches("event.action:getobject", doc), false);
    assert.equal(matches("event.action:Get", doc), false);
  });

  it("matches wildcards case-sensitively, across any characters", () => {
    const doc = { user: { id: "AROA123:i-0abc\nx/y" } };
    assert.equal(matches(String.raw`user.id:*\:i-*`, doc), true);
    assert.equal(matches("user.id:AROA*", doc), true);
    assert.equal(matches("user.id:aroa*", doc), false);
    assert.equal(matches("user.id:*x/y", doc), true);
    assert.equal(matches("user.id:AROA*i-*abc*", doc), true);
    assert.equal(matches("user.id:*abc*AROA*", doc), false);
  });

  it("never treats a quoted value as a wildcard", () => {
    assert.equal(matches('user.name:"a*"', { user: { name: "a*" } }), true);
    assert.equal(matches('user.name:"a*"', { user: { name: "ab" } }), false);
    assert.equal(matches(String.raw`user.name:a\*`, { user: { name: "ab" } }), false);
    assert.equal(matches(String.raw`user.name:a\*`, { user: { name: "a*" } }), true);
  });

  it("splits an unquoted wildcard value at whitespace, as query_string does (default)", () => {
    // Kibana sends `*S3 Browser*` as query_string, which searches `*S3` OR `Browser*`.
    const query = "user_agent.original:(*S3 Browser* or *Cyberduck*)";
    const s3Browser = { user_agent: { original: "S3 Browser 9.5.5 https://s3browser.com" } };
    assert.equal(matches(query, s3Browser), false);
    assert.equal(matches(query, { user_agent: { original: "aws-cli/S3" } }), true);
    assert.equal(matches(query, { user_agent: { original: "Browser/1.0" } }), true);
    assert.equal(matches(query, { user_agent: { original: "Cyberduck/8.7" } }), true);
    // A plain word between two wildcard words is an exact term.
    assert.equal(matches("user_agent.original:a* mid *z", { user_agent: { original: "mid" } }), true);
    // The switch back to one whole wildcard, as detection-rules' Python evaluator reads it.
    assert.equal(matches(query, s3Browser, { splitWildcardOnWhitespace: false }), true);
    assert.equal(
      matches(query, { user_agent: { original: "aws-cli/S3" } }, { splitWildcardOnWhitespace: false }),
      false,
    );
  });

  it("compares literal values with whitespace whole (only wildcards are split)", () => {
    assert.equal(matches("user_agent.original:AWS Internal", { user_agent: { original: "AWS Internal" } }), true);
    assert.equal(matches("user_agent.original:AWS Internal", { user_agent: { original: "AWS" } }), false);
  });

  it("matches free text against any field's value", () => {
    const doc = { event: { action: "GetObject" }, user: { name: "alice" } };
    assert.equal(matches("alice", doc), true);
    assert.equal(matches("ali*", doc), true);
    assert.equal(matches('"GetObject"', doc), true);
    assert.equal(matches("bob", doc), false);
    // constant_keyword fields are fields of every document.
    assert.equal(matches("aws.cloudtrail", {}), true);
    // A value a field type cannot read skips that field instead of failing.
    assert.equal(matches("hello", { source: { ip: "1.2.3.4" } }), false);
  });
});

describe("KQL exists and missing fields", () => {
  it("field:* matches any value, the empty string included, and not missing or null", () => {
    assert.equal(matches("user.name:*", { user: { name: "" } }), true);
    assert.equal(matches("user.name:*", { user: { name: "x" } }), true);
    assert.equal(matches("user.name:*", { user: { name: null } }), false);
    assert.equal(matches("user.name:*", { user: { name: [] } }), false);
    assert.equal(matches("user.name:*", {}), false);
  });

  it("not excludes a document when any value matches and keeps documents without the field", () => {
    const query = "not event.category:iam";
    assert.equal(matches(query, { event: { category: ["web", "iam"] } }), false);
    assert.equal(matches(query, { event: { category: ["web", "network"] } }), true);
    assert.equal(matches(query, { event: {} }), true);
    assert.equal(matches(query, {}), true);
  });

  it("a multi-valued field matches when any value matches", () => {
    assert.equal(matches("event.category:iam", { event: { category: ["web", "iam"] } }), true);
    assert.equal(matches("event.category:(web and iam)", { event: { category: ["web", "iam"] } }), true);
    assert.equal(matches("event.category:i*", { event: { category: ["web", "iam"] } }), true);
    const arrayOfObjects = { items: [{ name: "a" }, { name: "b" }] };
    assert.equal(matches("items.name:b", arrayOfObjects), true);
  });

  it("value lists combine with and/not per value", () => {
    const query = "user.name:(* and not (adm* or root))";
    assert.equal(matches(query, { user: { name: "alice" } }), true);
    assert.equal(matches(query, { user: { name: "admin" } }), false);
    assert.equal(matches(query, { user: { name: ["alice", "root"] } }), false);
    assert.equal(matches(query, {}), false);
  });
});

describe("KQL on typed fields", () => {
  it("constant_keyword fields match their constant although absent from the document", () => {
    assert.equal(matches("data_stream.dataset:aws.cloudtrail", {}), true);
    assert.equal(matches("data_stream.dataset:aws.*", {}), true);
    assert.equal(matches("data_stream.dataset:*", {}), true);
    assert.equal(matches("data_stream.dataset:aws.guardduty", { data_stream: { dataset: "aws.guardduty" } }), false);
    // A constant_keyword without a value has no value in any document.
    assert.equal(matches("data_stream.namespace:*", { data_stream: { namespace: "default" } }), false);
  });

  it("flattened leaves compare as strings", () => {
    const doc = {
      aws: { cloudtrail: { flattened: { request_parameters: { omitted: true, ports: [{ fromPort: 22 }] } } } },
    };
    assert.equal(matches("aws.cloudtrail.flattened.request_parameters.omitted:true", doc), true);
    assert.equal(matches('aws.cloudtrail.flattened.request_parameters.omitted:"true"', doc), true);
    assert.equal(matches("aws.cloudtrail.flattened.request_parameters.ports.fromPort:(21 or 22)", doc), true);
    assert.equal(matches("aws.cloudtrail.flattened.request_parameters.ports.fromPort:2*", doc), true);
    assert.equal(matches("aws.cloudtrail.flattened.request_parameters.ports.fromPort:22.0", doc), false);
    // The flattened field itself matches any of its leaves; an object is not a leaf.
    assert.equal(matches("aws.cloudtrail.flattened.request_parameters:22", doc), true);
    assert.equal(matches("aws.cloudtrail.flattened.request_parameters.ports:*", doc), false);
  });

  it("numbers compare by value on long, double and float fields", () => {
    assert.equal(matches("source.as.number:16509", { source: { as: { number: 16509 } } }), true);
    assert.equal(matches("source.as.number:016509", { source: { as: { number: "16509" } } }), true);
    assert.equal(matches("source.as.number:16509.5", { source: { as: { number: 16509 } } }), false);
    assert.equal(matches("metrics.score:0.5", { metrics: { score: 0.5 } }), true);
    assert.equal(matches("metrics.ratio:0.1", { metrics: { ratio: 0.1 } }), true);
    assert.equal(
      matches("source.as.number > 100 and source.as.number <= 200", { source: { as: { number: 200 } } }),
      true,
    );
    assert.equal(matches("source.as.number < 100", { source: { as: { number: 200 } } }), false);
  });

  it("IPs compare by value, and a CIDR block matches its range", () => {
    const doc = (ip: string) => ({ source: { ip } });
    assert.equal(matches("source.ip:10.0.0.0/8", doc("10.200.3.4")), true);
    assert.equal(matches("source.ip:10.0.0.0/8", doc("11.0.0.1")), false);
    assert.equal(matches('source.ip:"10.1.2.3"', doc("::ffff:10.1.2.3")), true);
    assert.equal(matches("source.ip:2001\\:db8\\:\\:/32", doc("2001:db8::1")), true);
    assert.equal(matches('source.ip:"2001:0db8:0:0:0:0:0:1"', doc("2001:db8::1")), true);
    assert.equal(matches('source.ip:"::/0"', doc("1.2.3.4")), true);
    assert.equal(matches("source.ip >= 10.0.0.5", doc("10.0.0.10")), true);
    assert.equal(matches("source.ip:*", doc("AWS Internal")), false);
  });

  it("dates compare as dates: exact dates cover their day, ranges round partial dates", () => {
    const at = (t: string) => ({ "@timestamp": t });
    assert.equal(matches("@timestamp:2024-01-01", at("2024-01-01T23:59:59.999Z")), true);
    assert.equal(matches("@timestamp:2024-01-01", at("2024-01-02T00:00:00Z")), false);
    assert.equal(matches("@timestamp <= 2024-01-01", at("2024-01-01T12:00:00Z")), true);
    assert.equal(matches("@timestamp > 2024-01-01", at("2024-01-01T12:00:00Z")), false);
    assert.equal(matches("@timestamp >= 2024-01-01", at("2024-01-01T00:00:00Z")), true);
    assert.equal(matches("@timestamp < 2024-01-01", at("2023-12-31T23:59:59.999Z")), true);
    assert.equal(matches('@timestamp < "2024-01-01T10:00:00+02:00"', at("2024-01-01T07:59:59Z")), true);
    assert.equal(matches('@timestamp < "2024-01-01T10:00:00+02:00"', at("2024-01-01T08:00:00Z")), false);
    assert.equal(matches("@timestamp >= 1704067200000", at("2024-01-01T00:00:00Z")), true);
    const now = Date.parse("2024-06-01T12:00:00Z");
    assert.equal(matches("@timestamp >= now-1h", at("2024-06-01T11:30:00Z"), { now }), true);
    assert.equal(matches("@timestamp >= now-1h", at("2024-06-01T10:30:00Z"), { now }), false);
    assert.equal(matches("@timestamp >= now/d", at("2024-06-01T00:00:00Z"), { now }), true);
  });

  it("booleans accept true/false and their strings", () => {
    assert.equal(matches("aws.cloudtrail.read_only:true", { aws: { cloudtrail: { read_only: "true" } } }), true);
    assert.equal(matches("aws.cloudtrail.read_only:false", { aws: { cloudtrail: { read_only: true } } }), false);
    assert.equal(matches('aws.cloudtrail.read_only:"false"', { aws: { cloudtrail: { read_only: false } } }), true);
  });

  it("keyword values longer than ignore_above are not indexed: no term, wildcard or exists match", () => {
    const long = { aws: { cloudtrail: { request_parameters: "x".repeat(21) } } };
    const short = { aws: { cloudtrail: { request_parameters: "x".repeat(20) } } };
    assert.equal(matches(`aws.cloudtrail.request_parameters:${"x".repeat(21)}`, long), false);
    assert.equal(matches("aws.cloudtrail.request_parameters:x*", long), false);
    assert.equal(matches("aws.cloudtrail.request_parameters:*", long), false);
    assert.equal(matches("not aws.cloudtrail.request_parameters:*", long), true);
    assert.equal(matches("aws.cloudtrail.request_parameters:x*", short), true);
  });

  it("text fields are analyzed: match wants a token, a quoted value the phrase", () => {
    const doc = { message: "User Alice logged in from Berlin" };
    assert.equal(matches("message:alice", doc), true);
    assert.equal(matches("message:bob alice", doc), true);
    assert.equal(matches('message:"logged in"', doc), true);
    assert.equal(matches('message:"in logged"', doc), false);
    assert.equal(matches("message:ber*", doc), true);
  });

  it("unmapped fields compare as dynamic mapping would index their JSON values", () => {
    assert.equal(matches("other.count:5", { other: { count: 5 } }), true);
    assert.equal(matches("other.flag:true", { other: { flag: true } }), true);
    assert.equal(matches("other.name:Bob", { other: { name: "Bob" } }), true);
    assert.equal(matches("other.name:B*", { other: { name: "Bob" } }), true);
    assert.equal(matches("other.name:*", { other: {} }), false);
  });

  it("wildcard field names match any mapped field they expand to", () => {
    assert.equal(matches("user.*:alice", { user: { id: "alice" } }), true);
    assert.equal(matches("user.*:alice", { user: { id: "bob" }, other: "alice" }), false);
    // Fields of other types are skipped, not errors.
    assert.equal(matches("*.number:x*", { source: { as: { number: 5 } } }), false);
  });

  it("nested queries match within one object of the path", () => {
    const doc = {
      items: [
        { name: "a", qty: 1 },
        { name: "b", qty: 5 },
      ],
    };
    assert.equal(matches("items:{ name:b and qty > 2 }", doc), true);
    assert.equal(matches("items:{ name:a and qty > 2 }", doc), false);
    assert.equal(matches("items.name:a and items.qty > 2", doc), true);
  });
});

describe("KQL values a field type rejects", () => {
  it("are verification errors pointing at the value, as Elasticsearch fails such a search", () => {
    const error = verificationError("event.action:x and source.as.number:abc");
    assert.equal(error.kind, "verification");
    assert.equal(error.column, 37);
    assert.match(error.pretty(), /\n {38}\^$/);
    verificationError("source.ip:not-an-ip");
    verificationError("source.as.number:1*");
    verificationError("@timestamp:yesterday");
    verificationError("aws.cloudtrail.read_only:yes");
    verificationError("user.name:null");
  });

  it("point into the source when compiling a parsed tree", () => {
    const node = parseKql("source.ip:nope");
    assert.equal(verificationErrorOf(() => compileKql(node, schema)).column, 11);
  });
});

function verificationErrorOf(run: () => unknown): QueryError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof QueryError);
    return error;
  }
  throw new Error("expected a verification error");
}
