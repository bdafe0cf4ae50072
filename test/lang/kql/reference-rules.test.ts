import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parse } from "smol-toml";
import { mapSchema } from "../../../src/doc/schema.ts";
import { compileKql, kqlFields, parseKql } from "../../../src/lang/kql/index.ts";
import { censusFeatures } from "./census.ts";

const RULES = fileURLToPath(new URL("../../../../shared/reference/elastic-detection-rules/", import.meta.url));

function tomlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tomlFiles(path);
    return entry.name.endsWith(".toml") ? [path] : [];
  });
}

interface RuleToml {
  rule: { language?: string; query?: string };
}

/** Every KQL query under aws/ (keyed as the census keys them) plus the top-level seed rule TOMLs. */
function kqlQueries(): { census: Map<string, string>; seeds: Map<string, string> } {
  const read = (path: string) => (parse(readFileSync(path, "utf8")) as unknown as RuleToml).rule;
  const census = new Map<string, string>();
  for (const path of tomlFiles(join(RULES, "aws"))) {
    const rule = read(path);
    if (rule.language === "kuery" && rule.query) census.set(relative(join(RULES, "aws"), path), rule.query);
  }
  const seeds = new Map<string, string>();
  for (const name of readdirSync(RULES).filter((n) => n.endsWith(".toml"))) {
    const rule = read(join(RULES, name));
    if (rule.language === "kuery" && rule.query) seeds.set(name, rule.query);
  }
  return { census, seeds };
}

const { census, seeds } = kqlQueries();
const expected = JSON.parse(readFileSync(join(RULES, "kql-census.json"), "utf8")) as {
  totals: Record<string, number>;
  per_rule: Record<string, Record<string, number>>;
};

describe("Elastic's CloudTrail KQL rules", () => {
  it("all 144 census queries and the seed rules parse", () => {
    assert.equal(census.size, 144);
    assert.equal(seeds.size, 2);
    for (const [file, query] of [...census, ...seeds]) {
      assert.doesNotThrow(() => parseKql(query), file);
      assert.ok(kqlFields(parseKql(query)).length > 0, file);
    }
  });

  it("all of them compile against the CloudTrail field types (no value a field type rejects)", () => {
    // Types from notes §3.8; every other field is unmapped (dynamic).
    const schema = mapSchema({
      "data_stream.dataset": { type: "constant_keyword", constant: "aws.cloudtrail" },
      "event.dataset": { type: "keyword" },
      "source.ip": { type: "ip" },
      "source.as.number": { type: "long" },
      "aws.cloudtrail.read_only": { type: "boolean" },
      "aws.cloudtrail.request_parameters": { type: "keyword", ignoreAbove: 8191 },
      "aws.cloudtrail.flattened.request_parameters": { type: "flattened" },
      "aws.cloudtrail.flattened.response_elements": { type: "flattened" },
      "aws.cloudtrail.flattened.additional_eventdata": { type: "flattened" },
      "user_agent.original": { type: "keyword" },
      "user.name": { type: "keyword" },
    });
    for (const [file, query] of census) assert.equal(typeof compileKql(query, schema), "function", file);
  });

  it("reproduces the census's per-rule feature counts from our parse trees", () => {
    assert.deepEqual(new Set(census.keys()), new Set(Object.keys(expected.per_rule)));
    for (const [file, query] of census) {
      assert.deepEqual(censusFeatures(parseKql(query)), expected.per_rule[file], file);
    }
  });

  it("reproduces the census totals", () => {
    const totals: Record<string, number> = {};
    for (const query of census.values()) {
      for (const [feature, n] of Object.entries(censusFeatures(parseKql(query)))) {
        totals[feature] = (totals[feature] ?? 0) + n;
      }
    }
    assert.deepEqual(totals, expected.totals);
  });
});
