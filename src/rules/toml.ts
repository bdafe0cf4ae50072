/**
 * detection-rules TOML (`[metadata]` + `[rule]`): the `[rule]` table uses Kibana's snake_case keys, with one TOML-only
 * shape (`[rule.new_terms]`) that is converted to Kibana's flat fields before the shared builder runs.
 */
import { parse, TomlError } from "smol-toml";
import { buildRule, isRecord, type RuleRecord } from "./build.ts";
import { RuleFieldError, RuleLoadError } from "./errors.ts";
import type { Rule } from "./rule.ts";

export function parseRuleToml(text: string, origin: string): Rule {
  let document: RuleRecord;
  try {
    // A JSON round trip turns smol-toml's null-prototype tables into plain objects and its dates into ISO strings,
    // so everything a rule carries (parameters, suppression, threshold) is plain JSON like a Kibana export's.
    document = JSON.parse(JSON.stringify(parse(text)));
  } catch (error) {
    if (error instanceof TomlError) {
      const detail = error.message.split("\n")[0].replace(/^Invalid TOML document: /, "");
      throw new RuleLoadError(origin, `TOML syntax error: ${detail}`, { line: error.line, column: error.column });
    }
    throw error;
  }
  const table = document.rule;
  if (!isRecord(table)) throw new RuleLoadError(origin, "no [rule] table: not a detection-rules rule file");
  try {
    return buildRule(kibanaShape(table), origin);
  } catch (error) {
    if (error instanceof RuleFieldError) {
      throw new RuleLoadError(origin, `rule.${error.message}`, { line: lineOfKey(text, tomlKeyOf(error.field)) });
    }
    throw error;
  }
}

/**
 * `[rule.new_terms] field = "new_terms_fields", value = [...], [[rule.new_terms.history_window_start]] value = "now-7d"`
 * becomes `new_terms_fields = [...]`, `history_window_start = "now-7d"` as in Kibana's API.
 */
function kibanaShape(table: RuleRecord): RuleRecord {
  const { new_terms: newTerms, ...rest } = table;
  if (newTerms === undefined) return rest;
  if (!isRecord(newTerms)) throw new RuleFieldError("new_terms", "expected a table");
  const windows = newTerms.history_window_start;
  const firstWindow = Array.isArray(windows) && isRecord(windows[0]) ? windows[0].value : undefined;
  return { ...rest, new_terms_fields: newTerms.value, history_window_start: firstWindow };
}

function tomlKeyOf(field: string): string {
  const key = field.split(/[.[]/)[0];
  return key === "new_terms_fields" || key === "history_window_start" ? "new_terms" : key;
}

/** Best-effort line of `key = …` or `[rule.key]` inside the [rule] section, for error positions. */
function lineOfKey(text: string, key: string): number | undefined {
  const lines = text.split(/\r?\n/);
  const assignment = new RegExp(`^\\s*${key}\\s*=`);
  const header = new RegExp(`^\\s*\\[\\[?\\s*rule\\.${key}\\s*[\\].]`);
  let inRule = false;
  for (let i = 0; i < lines.length; i++) {
    const sectionHeader = /^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?\s*(#.*)?$/.exec(lines[i]);
    if (sectionHeader) inRule = sectionHeader[1] === "rule" || sectionHeader[1].startsWith("rule.");
    if (inRule && (assignment.test(lines[i]) || header.test(lines[i]))) return i + 1;
  }
  return undefined;
}
