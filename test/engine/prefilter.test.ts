/** The raw-text test derived from rules: what it rejects, and every case where it must let the record through. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { cloudtrailSchema } from "../../src/ecs/index.ts";
import { recordPrefilter } from "../../src/engine/prefilter.ts";
import { builtinRules, type Rule } from "../../src/rules/index.ts";

const base = builtinRules()[0];
const esql = (query: string): Rule => ({ ...base, type: "esql", language: "esql", query, origin: "t.toml" });
const kql = (query: string): Rule => ({ ...base, type: "query", language: "kuery", query, origin: "t.toml" });
const filter = (...rules: Rule[]) => recordPrefilter(rules, cloudtrailSchema);

test("ES|QL: equality and IN in the first WHERE; OR needs both sides, AND either", () => {
  const t = filter(
    esql(`FROM logs-aws.cloudtrail-* | WHERE (event.action == "GetSecretValue" AND user.name LIKE "a*")
      OR (event.action IN ("ListKeys", "Decrypt") AND aws.cloudtrail.user_identity.type == "AssumedRole")`),
  );
  assert.ok(t);
  assert.equal(t('{"eventName":"GetSecretValue"}'), true);
  assert.equal(t('{"eventName" : "ListKeys", "userIdentity": {"type":"AssumedRole"}}'), true);
  assert.equal(t('{"eventName":"ListKeys","userIdentity":{"type":"IAMUser"}}'), false);
  assert.equal(t('{"eventName":"PutObject"}'), false);
  assert.equal(t('{"eventName":"GetSecretValueX"}'), false);
});

test("KQL: exact values of copied fields; derived fields (event.outcome) and wildcards are left to the parser", () => {
  const t = filter(kql('event.action:"CreateUser" and event.outcome:success and user.name:adm*'));
  assert.ok(t);
  assert.equal(t('{"eventName":"CreateUser","errorCode":"AccessDenied"}'), true);
  assert.equal(t('{"eventName":"DeleteUser"}'), false);
});

test("a value is found at any nesting, and an undecidable occurrence lets the record through", () => {
  const t = filter(kql("event.action:CreateUser"));
  assert.ok(t);
  assert.equal(t('{"requestParameters":{"eventName":"CreateUser"},"eventName":"X"}'), true);
  assert.equal(t('{"eventName":["CreateUser"]}'), true, "array value");
  assert.equal(t('{"eventName":{"a":1}}'), true, "object value");
  assert.equal(t('{"eventName":"Create\\"User"}'), true, "escape inside the value");
  assert.equal(t('{"eventName":"\\u0043reateUser"}'), true, "\\u escape anywhere");
  assert.equal(t('{"eventName":12}'), false, "a number is never a plain value");
  assert.equal(t('{"x":"eventName","y":"CreateUser"}'), false, "a value named like the key is not the key");
});

test("'/' may be written '\\/' in JSON: such records pass", () => {
  const t = filter(kql('event.provider:"a/b"'));
  assert.ok(t);
  assert.equal(t('{"eventSource":"a\\/b"}'), true);
  assert.equal(t('{"eventSource":"a/c"}'), false);
});

test("no test when any rule's selection cannot be derived", () => {
  const derivable = kql("event.action:CreateUser");
  assert.equal(filter(derivable, kql("not event.action:CreateUser")), undefined, "negation at the top");
  assert.equal(filter(derivable, kql("event.action:Create*")), undefined, "wildcard");
  assert.equal(filter(derivable, kql("event.outcome:success")), undefined, "derived field");
  assert.equal(filter(derivable, kql('event.action:"123"')), undefined, "a number could stringify to it");
  assert.equal(filter(derivable, esql('FROM logs-aws.cloudtrail-* | EVAL x = 1 | WHERE event.action == "A"')), undefined);
  assert.equal(filter(derivable, esql('FROM logs-aws.cloudtrail-* | WHERE event.action != "A"')), undefined);
  assert.equal(
    filter(derivable, esql('FROM logs-aws.cloudtrail-* | WHERE event.action == "A" OR source.ip IS NULL')),
    undefined,
  );
});
