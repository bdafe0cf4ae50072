/**
 * Kibana rule exports: NDJSON with one rule per line (plus exception lists, connectors and a trailing summary line,
 * which are skipped), or a JSON object / array of rules as the rules API returns them. Keys are snake_case already.
 */
import { buildRule, isRecord, type RuleRecord } from "./build.ts";
import { RuleFieldError, RuleLoadError } from "./errors.ts";
import type { Rule } from "./rule.ts";

/** Every rule in the export; throws the first problem. */
export function parseKibanaRules(text: string, origin: string): Rule[] {
  const { rules, errors } = readKibanaRules(text, origin);
  if (errors.length > 0) throw errors[0];
  return rules;
}

/** Every rule that loads, and one error per rule (or line) that does not. */
export function readKibanaRules(text: string, origin: string): { rules: Rule[]; errors: RuleLoadError[] } {
  const rules: Rule[] = [];
  const errors: RuleLoadError[] = [];
  const add = (item: unknown, where: { line?: number; label: string }): void => {
    try {
      if (!isRecord(item)) throw new RuleLoadError(origin, `${where.label}: expected a rule object`, where);
      if (isRuleEntry(item)) rules.push(buildRule(item, origin));
    } catch (error) {
      errors.push(asLoadError(error, origin, item, where));
    }
  };

  const trimmed = text.trim();
  if (trimmed === "") return { rules, errors: [new RuleLoadError(origin, "empty file: no rules")] };
  const whole = tryJson(text);
  if (whole.ok) {
    const items = Array.isArray(whole.value) ? whole.value : [whole.value];
    for (const [i, item] of items.entries())
      add(item, { label: `rule ${i + 1}`, line: items.length === 1 ? 1 : undefined });
  } else if (trimmed.startsWith("[") || !tryJson(trimmed.split("\n")[0]).ok) {
    // A JSON array, or a pretty-printed object: the error is in the document as a whole.
    errors.push(jsonError(origin, text, whole.error, 1));
  } else {
    // NDJSON: each line is a document of its own.
    for (const [i, line] of text.split(/\r?\n/).entries()) {
      if (line.trim() === "") continue;
      const parsed = tryJson(line);
      if (parsed.ok) add(parsed.value, { label: `line ${i + 1}`, line: i + 1 });
      else errors.push(jsonError(origin, line, parsed.error, i + 1));
    }
  }
  if (rules.length === 0 && errors.length === 0) errors.push(new RuleLoadError(origin, "no rules in this export"));
  return { rules, errors };
}

/** Exports also carry the summary line, exception lists/items and action connectors; none has a rule_id. */
function isRuleEntry(item: RuleRecord): boolean {
  if ("rule_id" in item) return true;
  return !("exported_count" in item || "list_id" in item || "attributes" in item);
}

function asLoadError(error: unknown, origin: string, item: unknown, where: { line?: number; label: string }) {
  if (error instanceof RuleLoadError) return error;
  if (error instanceof RuleFieldError) {
    const id = isRecord(item) && typeof item.rule_id === "string" ? `rule ${item.rule_id}` : where.label;
    return new RuleLoadError(origin, `${id}: ${error.message}`, { line: where.line });
  }
  throw error;
}

function tryJson(text: string): { ok: true; value: unknown } | { ok: false; error: Error } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: error as Error };
  }
}

/** JSON.parse reports a character position; turn it into line and column of the file. */
function jsonError(origin: string, text: string, error: Error, firstLine: number): RuleLoadError {
  const position = /position (\d+)/.exec(error.message);
  const detail = `invalid JSON: ${error.message.replace(/ in JSON at position \d+.*$/, "")}`;
  if (!position) return new RuleLoadError(origin, detail, { line: firstLine });
  const before = text.slice(0, Number(position[1]));
  const lineBreaks = before.split("\n");
  return new RuleLoadError(origin, detail, {
    line: firstLine + lineBreaks.length - 1,
    column: lineBreaks[lineBreaks.length - 1].length + 1,
  });
}
