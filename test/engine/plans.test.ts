import assert from "node:assert/strict";
import { test } from "node:test";
import { cloudtrailSchema } from "../../src/ecs/index.ts";
import { planRules } from "../../src/engine/plans.ts";
import { builtinRules, type Rule } from "../../src/rules/index.ts";

const options = { schema: cloudtrailSchema, index: "logs-aws.cloudtrail-default", kibanaCompatible: false };
const esql = (query: string): Rule => ({ ...builtinRules()[0], name: "custom", query, origin: "custom.toml" });

test("a query that does not parse is an error; one reading other data sources is skipped with the reason", () => {
  const broken = planRules([esql("FROM logs-aws.cloudtrail-* | WHERE")], options);
  assert.equal(broken.plans.length, 0);
  assert.match(broken.errors[0], /custom\.toml: rule "custom": ES\|QL parse error at line 1:/);

  const other = planRules(
    [esql("FROM logs-aws.cloudtrail-*, logs-gcp.audit-* | WHERE gcp.audit.method_name == \"x\" | KEEP event.id")],
    options,
  );
  assert.deepEqual(other.errors, []);
  assert.match(other.warnings[0], /Unknown column \[gcp\.audit\.method_name\][\s\S]*skipped/);
});

test("wildcard patterns of other indices contribute nothing; rules over CloudTrail fields still run", () => {
  const { plans, errors } = planRules(
    [esql("FROM logs-aws.cloudtrail-*, logs-azure.platformlogs-* | WHERE event.action == \"x\" | KEEP event.id")],
    options,
  );
  assert.deepEqual(errors, []);
  assert.equal(plans.length, 1);
});

test("rule types trailwatch does not run are skipped, not errors", () => {
  const eql: Rule = { ...builtinRules()[1], type: "eql", language: "eql", origin: "x.toml" };
  const { plans, warnings } = planRules([eql], options);
  assert.equal(plans.length, 0);
  assert.match(warnings[0], /eql rules \(eql\) are not supported yet; skipped/);
});
