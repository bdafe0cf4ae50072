/**
 * How alerts are written: `ndjson` (one alert document per line), `json` (an array), or `table`: one readable block
 * per alert with the rule, severity, key or user, time span, phases, actions, source IPs and AS organizations. The
 * table reads well-known ECS fields and their `Esql.*_values` aggregates, so it works for any rule.
 */
import { type Document, fieldValues } from "../doc/document.ts";
import type { AlertDocument } from "./build.ts";

export type AlertFormat = "table" | "ndjson" | "json";

export function formatAlerts(alerts: AlertDocument[], format: AlertFormat, color = false): string {
  if (format === "ndjson") return alerts.map((a) => `${JSON.stringify(a)}\n`).join("");
  if (format === "json") return `${JSON.stringify(alerts, null, 2)}\n`;
  if (!alerts.length) return "No alerts.\n";
  return `${alerts.map((a) => formatBlock(a, color)).join("\n")}\n${alerts.length} alert${alerts.length === 1 ? "" : "s"}.\n`;
}

const SEVERITY_COLORS: Record<string, string> = { critical: "35", high: "31", medium: "33", low: "36" };

function formatBlock(alert: AlertDocument, color: boolean): string {
  const doc = alert as Document;
  const get = (...paths: string[]) => {
    for (const p of paths) {
      const values = fieldValues(doc, p);
      if (values.length) return values.map(String);
    }
    return [];
  };
  const severity = String(alert["kibana.alert.severity"] ?? "");
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const lines = [
    `${paint(SEVERITY_COLORS[severity] ?? "0", `■ ${severity.toUpperCase()}`)}  ${paint("1", String(alert["kibana.alert.rule.name"]))}`,
  ];
  const row = (label: string, values: string[]) => {
    if (values.length) lines.push(`  ${label.padEnd(10)}${values.join(", ")}`);
  };
  row("rule", [
    `${alert["kibana.alert.rule.rule_id"]} (${alert["kibana.alert.rule.type"]}, every ${alert["kibana.alert.rule.interval"]}, from ${alert["kibana.alert.rule.from"]})`,
  ]);
  row("key", keyColumns(alert));
  row("user", get("user.name", "Esql.user_name_values"));
  const first = get("Esql.first_seen", "kibana.alert.original_time")[0];
  const last = get("Esql.last_seen")[0];
  row("time", first ? [last && last !== first ? `${first} → ${last}` : first] : []);
  row("phases", get("Esql.attack_phases"));
  row("actions", get("event.action", "Esql.event_action_values"));
  const calls = get("Esql.total_calls")[0];
  if (calls) row("calls", [calls]);
  row("source", sourceLines(doc));
  row("as org", get("source.as.organization.name", "Esql.source_as_organization_name_values"));
  row("agent", get("user_agent.original", "Esql.user_agent_original_values"));
  row("account", get("cloud.account.id", "Esql.cloud_account_id_values"));
  row("alert", [`${alert["kibana.alert.uuid"]} at ${alert["@timestamp"]}`]);
  return lines.join("\n");
}

/** Result columns of an aggregating rule that are neither aggregates nor alert metadata: its group key. */
function keyColumns(alert: AlertDocument): string[] {
  if (alert["kibana.alert.ancestors"] && (alert["kibana.alert.ancestors"] as unknown[]).length) {
    return [`event.id = ${fieldValues(alert as Document, "event.id")[0] ?? "?"}`];
  }
  return Object.entries(alert)
    .filter(
      ([k]) =>
        !k.startsWith("Esql.") &&
        !k.startsWith("kibana.") &&
        !k.startsWith("trailwatch.") &&
        k !== "@timestamp" &&
        k !== "event.kind",
    )
    .map(([k, v]) => `${k} = ${Array.isArray(v) ? v.join(", ") : String(v)}`);
}

function sourceLines(doc: Document): string[] {
  const ip = fieldValues(doc, "source.ip").map(String);
  if (ip.length) return ip;
  const address = fieldValues(doc, "source.address").map(String);
  return address.length ? address : fieldValues(doc, "Esql.source_ip_values").map(String);
}
