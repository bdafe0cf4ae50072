import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { toml as builtinToml } from "../../src/rules/builtin/irsa-lateral-movement.ts";
import { builtinRules, loadRules } from "../../src/rules/index.ts";
import { referenceDir } from "./reference.ts";

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailwatch-rules-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ruleToml = (id: string, extra = "") =>
  `[metadata]\nmaturity = "production"\n\n[rule]\nrule_id = "${id}"\nname = "Rule ${id}"\ntype = "query"\nquery = "event.action:x"\n${extra}`;

test("all CloudTrail reference rules load from their folder", async () => {
  const { rules, errors } = await loadRules([join(referenceDir, "aws")]);
  assert.deepEqual(errors, []);
  assert.equal(rules.length, 203);
  assert.equal(new Set(rules.map((r) => r.ruleId)).size, 203);
});

test("directories are walked recursively and files are recognised by content", async () => {
  const root = join(dir, "walk");
  await mkdir(join(root, "nested", "deeper"), { recursive: true });
  await mkdir(join(root, ".hidden"));
  await writeFile(join(root, "b.toml"), ruleToml("b"));
  await writeFile(join(root, "nested", "deeper", "a.toml"), ruleToml("a"));
  const [kql] = builtinRules().slice(1);
  await writeFile(
    join(root, "nested", "export.ndjson"),
    `${JSON.stringify({ name: kql.name, tags: kql.tags, interval: kql.interval, ...kql.parameters })}\n{"exported_count":1}\n`,
  );
  await writeFile(join(root, "nested", "rule.json"), ruleToml("toml-named-json"));
  await writeFile(join(root, "README.md"), "# not a rule");
  await writeFile(join(root, ".hidden", "c.toml"), ruleToml("hidden"));
  const explicit = join(dir, "custom.rule");
  await writeFile(explicit, builtinToml);

  const { rules, errors } = await loadRules([root, explicit]);
  assert.deepEqual(errors, []);
  assert.deepEqual(
    rules.map((r) => [r.ruleId, r.origin.slice(dir.length + 1)]),
    [
      ["b", "walk/b.toml"],
      ["a", "walk/nested/deeper/a.toml"],
      [kql.ruleId, "walk/nested/export.ndjson"],
      ["toml-named-json", "walk/nested/rule.json"],
      [builtinRules()[0].ruleId, "custom.rule"],
    ],
  );
});

test("problems are collected per file and the rest still loads", async () => {
  const root = join(dir, "mixed");
  await mkdir(root);
  await writeFile(join(root, "1-good.toml"), ruleToml("good"));
  await writeFile(join(root, "2-bad.toml"), ruleToml("bad", 'interval = "soon"\n'));
  await writeFile(join(root, "3-dup.toml"), ruleToml("good"));
  await writeFile(join(root, "4-syntax.toml"), "[rule\n");
  const missing = join(dir, "missing.toml");
  const empty = join(dir, "empty-dir");
  await mkdir(empty);

  const { rules, errors } = await loadRules([root, missing, empty]);
  assert.deepEqual(
    rules.map((r) => r.ruleId),
    ["good"],
  );
  const messages = errors.map((e) => e.message.replace(`${dir}/`, ""));
  assert.equal(messages.length, 5);
  assert.match(messages[0], /^mixed\/2-bad\.toml:9: rule\.interval: invalid duration "soon"/);
  assert.match(messages[1], /^mixed\/3-dup\.toml: rule_id good is already defined in .*1-good\.toml; skipped$/);
  assert.match(messages[2], /^mixed\/4-syntax\.toml:1:6: TOML syntax error/);
  assert.match(messages[3], /^missing\.toml: cannot read: ENOENT/);
  assert.match(messages[4], /^empty-dir: no \.toml, \.ndjson or \.json rule files/);
});
