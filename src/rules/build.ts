/**
 * Builds a Rule from a snake_case rule record in Kibana's API shape (a Kibana export line, or a detection-rules
 * `[rule]` table after `toml.ts` has converted its few TOML-only shapes). Validates every field the model exposes
 * and fills Kibana's defaults; throws RuleFieldError naming the field.
 */
import { RuleFieldError } from "./errors.ts";
import type { Rule, Threat, ThreatEntry } from "./rule.ts";
import { parseDateMath, parseDuration } from "./time.ts";

export type RuleRecord = Record<string, unknown>;

const DEFAULT_INTERVAL = "5m";
const DEFAULT_FROM = "now-6m";
const DEFAULT_TO = "now";
const DEFAULT_MAX_SIGNALS = 100;
/** Kibana's rule-creation defaults for a rule that does not state them. */
const DEFAULT_SEVERITY = "low";
const DEFAULT_RISK_SCORE = 21;
const SEVERITIES = new Set(["low", "medium", "high", "critical"]);
/** Rule types whose definition is a query text; the others (machine_learning, saved_query…) have none. */
const QUERY_TYPES = new Set(["query", "esql", "eql", "new_terms", "threshold", "threat_match"]);
const DEFAULT_LANGUAGE: Record<string, string> = {
  query: "kuery",
  new_terms: "kuery",
  threshold: "kuery",
  threat_match: "kuery",
  saved_query: "kuery",
  esql: "esql",
  eql: "eql",
};
/** Keys that belong to the rule object or its saved object, not to `kibana.alert.rule.parameters`. */
const NOT_PARAMETERS = new Set([
  "name",
  "tags",
  "interval",
  "enabled",
  "id",
  "created_at",
  "created_by",
  "updated_at",
  "updated_by",
  "actions",
  "throttle",
  "revision",
  "execution_summary",
  "notify_when",
]);

export function buildRule(record: RuleRecord, origin: string): Rule {
  const type = requiredString(record, "type");
  const ruleId = requiredString(record, "rule_id");
  const name = requiredString(record, "name");
  const query = optionalString(record, "query");
  if (QUERY_TYPES.has(type) && (query === undefined || query.trim() === "")) {
    throw new RuleFieldError("query", `required for ${type} rules`);
  }
  const language = optionalString(record, "language") ?? DEFAULT_LANGUAGE[type];

  const interval = optionalString(record, "interval") ?? DEFAULT_INTERVAL;
  const from = optionalString(record, "from") ?? DEFAULT_FROM;
  const to = optionalString(record, "to") ?? DEFAULT_TO;
  const intervalMs = schedule("interval", interval, parseDuration);
  const lookbackMs = schedule("from", from, parseDateMath);
  if (lookbackMs <= schedule("to", to, parseDateMath)) {
    throw new RuleFieldError("from", `"${from}" must be earlier than to ("${to}")`);
  }

  const severity = optionalString(record, "severity") ?? DEFAULT_SEVERITY;
  if (!SEVERITIES.has(severity))
    throw new RuleFieldError("severity", `"${severity}" is not low, medium, high or critical`);
  const riskScore = optionalInteger(record, "risk_score", 0, 100) ?? DEFAULT_RISK_SCORE;
  const maxSignals = optionalInteger(record, "max_signals", 1) ?? DEFAULT_MAX_SIGNALS;
  const version = optionalInteger(record, "version", 1) ?? 1;
  const newTerms = readNewTerms(record, type);

  const rule: Rule = {
    ruleId,
    name,
    description: optionalString(record, "description") ?? "",
    version,
    type,
    language,
    query,
    index: optionalStringList(record, "index"),
    interval,
    from,
    to,
    intervalMs,
    lookbackMs,
    maxSignals,
    severity,
    riskScore,
    tags: optionalStringList(record, "tags") ?? [],
    threat: readThreat(record),
    author: optionalStringList(record, "author") ?? [],
    license: optionalString(record, "license"),
    references: optionalStringList(record, "references") ?? [],
    falsePositives: optionalStringList(record, "false_positives") ?? [],
    note: optionalString(record, "note"),
    setup: optionalString(record, "setup"),
    timestampOverride: optionalString(record, "timestamp_override"),
    timestampOverrideFallbackDisabled: optionalBoolean(record, "timestamp_override_fallback_disabled"),
    investigationFields: readInvestigationFields(record),
    buildingBlockType: optionalString(record, "building_block_type"),
    alertSuppression: optionalObject(record, "alert_suppression"),
    newTerms,
    threshold: optionalObject(record, "threshold"),
    enabled: optionalBoolean(record, "enabled") ?? true,
    origin,
    parameters: {},
  };
  rule.parameters = parametersOf(record, rule);
  return dropUndefined(rule);
}

/** The record's parameter keys plus the defaults the model filled in, sorted by key so both loaders agree. */
function parametersOf(record: RuleRecord, rule: Rule): Record<string, unknown> {
  const params: Record<string, unknown> = {
    author: rule.author,
    description: rule.description,
    exceptions_list: [],
    false_positives: rule.falsePositives,
    from: rule.from,
    max_signals: rule.maxSignals,
    references: rule.references,
    related_integrations: [],
    required_fields: [],
    risk_score: rule.riskScore,
    risk_score_mapping: [],
    rule_id: rule.ruleId,
    severity: rule.severity,
    severity_mapping: [],
    threat: rule.threat,
    to: rule.to,
    type: rule.type,
    version: rule.version,
  };
  if (rule.language !== undefined) params.language = rule.language;
  for (const [key, value] of Object.entries(record)) {
    if (!NOT_PARAMETERS.has(key) && value !== undefined && value !== null && !(key in params)) params[key] = value;
  }
  return Object.fromEntries(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function schedule(field: string, value: string, parse: (s: string) => number): number {
  try {
    return parse(value);
  } catch (error) {
    throw new RuleFieldError(field, (error as Error).message);
  }
}

function requiredString(record: RuleRecord, key: string): string {
  const value = optionalString(record, key);
  if (value === undefined || value === "") throw new RuleFieldError(key, "required");
  return value;
}

function optionalString(record: RuleRecord, key: string): string | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new RuleFieldError(key, `expected a string, got ${describe(value)}`);
  return value;
}

function optionalBoolean(record: RuleRecord, key: string): boolean | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw new RuleFieldError(key, `expected true or false, got ${describe(value)}`);
  return value;
}

function optionalInteger(
  record: RuleRecord,
  key: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `between ${min} and ${max}`;
    throw new RuleFieldError(key, `expected a whole number ${range}, got ${describe(value)}`);
  }
  return value;
}

function optionalObject(record: RuleRecord, key: string): RuleRecord | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new RuleFieldError(key, `expected a table/object, got ${describe(value)}`);
  return value;
}

function optionalStringList(record: RuleRecord, key: string): string[] | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  return stringList(key, value);
}

function stringList(field: string, value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    throw new RuleFieldError(field, `expected a list of strings, got ${describe(value)}`);
  }
  return value;
}

/** Both loaders hand over `investigation_fields = { field_names = [...] }`. */
function readInvestigationFields(record: RuleRecord): string[] | undefined {
  const value = optionalObject(record, "investigation_fields");
  if (value === undefined) return undefined;
  return stringList("investigation_fields.field_names", value.field_names ?? []);
}

/** Kibana's flat `new_terms_fields` + `history_window_start`. */
function readNewTerms(record: RuleRecord, type: string): { fields: string[]; historyWindowStart: string } | undefined {
  const fields = optionalStringList(record, "new_terms_fields");
  const historyWindowStart = optionalString(record, "history_window_start");
  if (type !== "new_terms" && fields === undefined && historyWindowStart === undefined) return undefined;
  if (fields === undefined || fields.length === 0)
    throw new RuleFieldError("new_terms_fields", "required for new_terms rules");
  if (historyWindowStart === undefined)
    throw new RuleFieldError("history_window_start", "required for new_terms rules");
  schedule("history_window_start", historyWindowStart, parseDateMath);
  return { fields, historyWindowStart };
}

function readThreat(record: RuleRecord): Threat[] {
  const value = record.threat;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new RuleFieldError("threat", `expected a list, got ${describe(value)}`);
  return value.map((entry, i) => {
    const where = `threat[${i}]`;
    if (!isRecord(entry)) throw new RuleFieldError(where, `expected a table/object, got ${describe(entry)}`);
    const threat: Threat = {
      framework: requiredString(entry, "framework"),
      tactic: threatEntry(`${where}.tactic`, entry.tactic),
    };
    if (entry.technique !== undefined) {
      if (!Array.isArray(entry.technique)) throw new RuleFieldError(`${where}.technique`, "expected a list");
      threat.technique = entry.technique.map((technique, j) => {
        const at = `${where}.technique[${j}]`;
        const base = threatEntry(at, technique);
        const subs = (technique as RuleRecord).subtechnique;
        if (subs === undefined) return base;
        if (!Array.isArray(subs)) throw new RuleFieldError(`${at}.subtechnique`, "expected a list");
        return { ...base, subtechnique: subs.map((sub, k) => threatEntry(`${at}.subtechnique[${k}]`, sub)) };
      });
    }
    return threat;
  });
}

function threatEntry(field: string, value: unknown): ThreatEntry {
  if (!isRecord(value)) throw new RuleFieldError(field, `expected a table/object with id, name and reference`);
  const read = (key: string): string => {
    const v = value[key];
    if (typeof v !== "string") throw new RuleFieldError(`${field}.${key}`, `expected a string, got ${describe(v)}`);
    return v;
  };
  return { id: read("id"), name: read("name"), reference: read("reference") };
}

export function isRecord(value: unknown): value is RuleRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a table/object";
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Optional model fields stay absent rather than present-but-undefined, so rules compare and serialise cleanly. */
function dropUndefined(rule: Rule): Rule {
  for (const key of Object.keys(rule) as (keyof Rule)[]) if (rule[key] === undefined) delete rule[key];
  return rule;
}
