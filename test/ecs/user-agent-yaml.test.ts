import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import YAML from "yaml";
import { readSimpleShape, readUapYaml } from "../../src/ecs/user-agent/uap-yaml.ts";

test("the installed regexes.yaml reads in the fast shape, identical to the general YAML parser", () => {
  const text = readFileSync(createRequire(import.meta.url).resolve("uap-core/regexes.yaml"), "utf8");
  const fast = readSimpleShape(text);
  assert.ok(fast, "regexes.yaml no longer fits the fast shape");
  assert.deepEqual(fast, YAML.parse(text));
  assert.ok(fast.user_agent_parsers.length > 100);
});

test("single-quoted scalars keep '' as one quote and everything else verbatim", () => {
  const text = [
    "user_agent_parsers:",
    "  # comment",
    "  - regex: '(it''s) #not a comment \\d'",
    "    family_replacement: 'x'",
    "",
    "os_parsers:",
    "  - regex: 'b'",
  ].join("\n");
  const expected = {
    user_agent_parsers: [{ regex: "(it's) #not a comment \\d", family_replacement: "x" }],
    os_parsers: [{ regex: "b" }],
  };
  assert.deepEqual(readSimpleShape(text), expected);
  assert.deepEqual(YAML.parse(text), expected);
});

test("any other shape goes to the general parser", () => {
  for (const text of [
    'user_agent_parsers:\n  - regex: "double \\"quoted\\""\n',
    "user_agent_parsers:\n  - regex: 'a' # trailing comment\n",
    "user_agent_parsers:\n  - regex: plain\n",
    "user_agent_parsers:\n  - regex: 'a'\n    regex: 'b'\n",
    "user_agent_parsers:\n    family_replacement: 'no entry yet'\n",
  ]) {
    assert.equal(readSimpleShape(text), undefined, text);
  }
  const fallback = "user_agent_parsers:\n  - regex: 'a' # trailing comment\n    regex_flag: i\n";
  assert.deepEqual(readUapYaml(fallback), { user_agent_parsers: [{ regex: "a", regex_flag: "i" }] });
});
