/**
 * A Slack incoming-webhook message for one alert: Block Kit `blocks` (header with severity and rule, then who, from
 * where, what and when) and a `text` fallback for notifications. Values come from ECS fields or, for aggregating
 * ES|QL rules, from their `Esql.<field>_values` columns. Alert values are attacker-controlled (user names, user
 * agents, request fields), so `& < >` are escaped: unescaped, `<!channel>` or `<https://evil|link>` would be
 * interpreted by Slack.
 */
import { type Document, fieldValues, type JsonValue } from "../../doc/document.ts";
import type { AlertDocument } from "../build.ts";

export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

const SEVERITY_MARKS: Record<string, string> = {
  critical: ":red_circle:",
  high: ":large_orange_circle:",
  medium: ":large_yellow_circle:",
  low: ":large_blue_circle:",
};
const MAX_VALUES = 5;
const MAX_FIELD_CHARS = 1900;
const MAX_DETAILS = 8;

const WHO = ["user.name", "aws.cloudtrail.user_identity.arn", "aws.cloudtrail.user_identity.access_key_id"];
const FROM_WHERE = ["source.ip", "source.as.organization.name", "source.geo.country_name"];
const WHAT = ["event.action"];
const SHOWN = new Set([...WHO, ...FROM_WHERE, ...WHAT].flatMap((f) => [f, esqlValuesColumn(f)]));

export function slackMessage(alert: AlertDocument): SlackMessage {
  const doc = alert as Document;
  const rule = String(alert["kibana.alert.rule.name"] ?? "Unnamed rule");
  const severity = String(alert["kibana.alert.severity"] ?? "unknown");
  const who = collect(doc, WHO);
  const where = collect(doc, FROM_WHERE);
  const what = [...collect(doc, WHAT), ...details(alert)];
  const when = timeSpan(doc);
  const fields = [
    ["Who", who],
    ["From where", where],
    ["What", what],
    ["When", when ? [when] : []],
  ]
    .filter(([, values]) => values.length)
    .map(([label, values]) => ({ type: "mrkdwn", text: clip(`*${label}*\n${(values as string[]).join("\n")}`) }));
  const context = [alert["kibana.alert.rule.rule_id"], alert["kibana.alert.uuid"]]
    .filter((v) => v !== undefined)
    .map((v) => code(String(v)))
    .join(" · ");
  const blocks: Record<string, unknown>[] = [
    {
      type: "header",
      text: { type: "plain_text", text: `${severity.toUpperCase()} · ${rule}`.slice(0, 150) },
    },
  ];
  const reason = alert["kibana.alert.reason"];
  if (typeof reason === "string") {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(escape(reason)) } });
  }
  if (fields.length) blocks.push({ type: "section", fields });
  if (context) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: context }] });
  const summary = [who[0], where[0]].filter(Boolean).join(" from ");
  const text = `${SEVERITY_MARKS[severity] ?? ":white_circle:"} ${escape(severity.toUpperCase())}: ${escape(rule)}${
    summary ? ` (${summary})` : ""
  }`;
  return { text, blocks };
}

/** Slack's three control characters; everything else is shown as written. */
export function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A value as inline code, so mrkdwn emphasis characters in it (`*`, `_`, `~`) stay literal. */
function code(value: string): string {
  return `\`${escape(value.replace(/`/g, "'"))}\``;
}

/** `user.name` → `Esql.user_name_values`, the column an aggregating ES|QL rule names its VALUES() after. */
function esqlValuesColumn(field: string): string {
  return `Esql.${field.replace(/\./g, "_")}_values`;
}

function collect(doc: Document, fields: string[]): string[] {
  const out: string[] = [];
  for (const field of fields) {
    let values = fieldValues(doc, field);
    if (!values.length) values = fieldValues(doc, esqlValuesColumn(field));
    if (!values.length) continue;
    const shown = values.slice(0, MAX_VALUES).map((v) => code(String(v)));
    const more = values.length > MAX_VALUES ? ` +${values.length - MAX_VALUES} more` : "";
    out.push(`${field}: ${shown.join(", ")}${more}`);
  }
  return out;
}

/** An aggregating rule's other result columns (counts, phases, group key), so "what" says what the rule found. */
function details(alert: AlertDocument): string[] {
  const rows = Object.entries(alert).filter(
    ([key]) => !key.startsWith("kibana.") && key !== "@timestamp" && key !== "event.kind" && !SHOWN.has(key),
  );
  // Event alerts carry the whole source event; only aggregated rows (flat `Esql.*` columns) are summarised.
  if (!rows.some(([key]) => key.startsWith("Esql."))) return [];
  return rows
    .filter(([key]) => !/^Esql\.(first|last)_seen$/.test(key))
    .slice(0, MAX_DETAILS)
    .map(([key, value]) => `${key}: ${code(render(value))}`);
}

function timeSpan(doc: Document): string | undefined {
  const first = fieldValues(doc, "Esql.first_seen")[0] ?? fieldValues(doc, "kibana.alert.original_time")[0];
  const last = fieldValues(doc, "Esql.last_seen")[0];
  const at = first ?? fieldValues(doc, "@timestamp")[0];
  if (at === undefined) return undefined;
  const span = last !== undefined && last !== first ? `${String(at)} → ${String(last)}` : String(at);
  return escape(span);
}

function render(value: JsonValue): string {
  if (Array.isArray(value)) return value.map(render).join(", ");
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

function clip(text: string): string {
  return text.length > MAX_FIELD_CHARS ? `${text.slice(0, MAX_FIELD_CHARS)}…` : text;
}
