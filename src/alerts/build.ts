/**
 * Alert documents in Elastic's security alert schema (Kibana `build_alert.ts`): `kibana.alert.*` as flat dotted keys,
 * the source event's fields kept as they are for event rules, the ES|QL result columns for aggregating rules.
 */
import { createHash } from "node:crypto";
import type { Document, JsonValue } from "../doc/document.ts";
import { fieldValues } from "../doc/document.ts";
import type { Rule } from "../rules/index.ts";

export const SPACE_ID = "default";

export interface AlertExecution {
  startedAt: number;
  from: number;
  to: number;
}

export type AlertDocument = { [key: string]: JsonValue };

const RULE_TYPE_IDS: Record<string, [string, string]> = {
  query: ["siem.queryRule", "Custom Query Rule"],
  esql: ["siem.esqlRule", "ES|QL Rule"],
  eql: ["siem.eqlRule", "Event Correlation Rule"],
  threshold: ["siem.thresholdRule", "Threshold Rule"],
  new_terms: ["siem.newTermsRule", "New Terms Rule"],
};

/** The alert for one source event (KQL query rules, non-aggregating ES|QL rules). */
export function buildEventAlert(
  rule: Rule,
  execution: AlertExecution,
  event: Document,
  identity: { id: string; index: string },
  extraColumns: Record<string, JsonValue> = {},
): AlertDocument {
  const source: Document = { ...event };
  const originalEvent = (event.event ?? {}) as { [k: string]: JsonValue };
  source.event = { ...originalEvent, kind: "signal" };
  const alert: AlertDocument = { ...source, ...extraColumns };
  const originalTime = firstString(event, "@timestamp");
  Object.assign(alert, commonFields(rule, execution, reasonFor(rule, event)), {
    "kibana.alert.uuid": sha256(`${identity.index}${identity.id}${SPACE_ID}:${rule.ruleId}`),
    "kibana.alert.ancestors": [{ id: identity.id, type: "event", index: identity.index, depth: 0 }],
  });
  if (originalTime) alert["kibana.alert.original_time"] = originalTime;
  for (const [k, v] of Object.entries(originalEvent)) alert[`kibana.alert.original_event.${k}`] = v;
  return alert;
}

/**
 * The alert for a new terms rule: the event alert of the document that first held the tuple, under the id Kibana
 * derives from that document and the tuple, with the tuple in `kibana.alert.new_terms`.
 */
export function buildNewTermsAlert(
  rule: Rule,
  execution: AlertExecution,
  event: Document,
  identity: { id: string; index: string; alertId: string; terms: JsonValue[] },
): AlertDocument {
  const alert = buildEventAlert(rule, execution, event, identity);
  alert["kibana.alert.uuid"] = identity.alertId;
  alert["kibana.alert.new_terms"] = identity.terms;
  return alert;
}

/** The alert for one aggregated ES|QL result row: only the row's columns, as Kibana writes them (nulls skipped). */
export function buildRowAlert(rule: Rule, execution: AlertExecution, row: Record<string, JsonValue>, uuid: string) {
  const alert: AlertDocument = {};
  for (const [k, v] of Object.entries(row)) if (v !== null) alert[k] = v;
  alert["event.kind"] = "signal";
  Object.assign(alert, commonFields(rule, execution, reasonFor(rule, {})), {
    "kibana.alert.uuid": uuid,
    "kibana.alert.ancestors": [],
  });
  if (typeof row["@timestamp"] === "string") alert["kibana.alert.original_time"] = row["@timestamp"];
  return alert;
}

/** Kibana's id for an aggregating ES|QL alert: unique per execution window, query and row. */
export function executionRowUuid(rule: Rule, execution: AlertExecution, rowIndex: number): string {
  const key = [
    new Date(execution.from).toISOString() + new Date(execution.to).toISOString(),
    rule.query ?? "",
    `${SPACE_ID}:${rule.ruleId}`,
    rowIndex,
  ];
  return createHash("sha1").update(JSON.stringify(key)).digest("hex");
}

/** trailwatch's id for a de-duplicated aggregating alert: one per rule and group key. */
export function groupUuid(rule: Rule, groupKey: string): string {
  return sha256(`${SPACE_ID}:${rule.ruleId}:${groupKey}`);
}

function commonFields(rule: Rule, execution: AlertExecution, reason: string): AlertDocument {
  const at = new Date(execution.startedAt).toISOString();
  const [ruleTypeId, category] = RULE_TYPE_IDS[rule.type] ?? [`siem.${rule.type}Rule`, rule.type];
  const fields: AlertDocument = {
    "@timestamp": at,
    "kibana.space_ids": [SPACE_ID],
    "kibana.alert.status": "active",
    "kibana.alert.workflow_status": "open",
    "kibana.alert.workflow_tags": [],
    "kibana.alert.workflow_assignee_ids": [],
    "kibana.alert.depth": 1,
    "kibana.alert.reason": reason,
    "kibana.alert.severity": rule.severity,
    "kibana.alert.risk_score": rule.riskScore,
    "kibana.alert.intended_timestamp": at,
    "kibana.alert.rule.execution.type": "scheduled",
    "kibana.alert.rule.execution.uuid": sha256(`${rule.ruleId}:${execution.startedAt}`).slice(0, 32),
    "kibana.alert.rule.consumer": "siem",
    "kibana.alert.rule.producer": "siem",
    "kibana.alert.rule.rule_type_id": ruleTypeId,
    "kibana.alert.rule.category": category,
    "kibana.alert.rule.uuid": rule.ruleId,
    "kibana.alert.rule.rule_id": rule.ruleId,
    "kibana.alert.rule.name": rule.name,
    "kibana.alert.rule.type": rule.type,
    "kibana.alert.rule.version": rule.version,
    "kibana.alert.rule.description": rule.description,
    "kibana.alert.rule.severity": rule.severity,
    "kibana.alert.rule.risk_score": rule.riskScore,
    "kibana.alert.rule.tags": rule.tags,
    "kibana.alert.rule.threat": rule.threat as unknown as JsonValue,
    "kibana.alert.rule.interval": rule.interval,
    "kibana.alert.rule.from": rule.from,
    "kibana.alert.rule.to": rule.to,
    "kibana.alert.rule.max_signals": rule.maxSignals,
    "kibana.alert.rule.author": rule.author,
    "kibana.alert.rule.references": rule.references,
    "kibana.alert.rule.false_positives": rule.falsePositives,
    "kibana.alert.rule.enabled": true,
    "kibana.alert.rule.immutable": rule.origin.startsWith("built-in:"),
    "kibana.alert.rule.parameters": rule.parameters as { [k: string]: JsonValue },
  };
  if (rule.license) fields["kibana.alert.rule.license"] = rule.license;
  if (rule.note) fields["kibana.alert.rule.note"] = rule.note;
  if (rule.index) fields["kibana.alert.rule.indices"] = rule.index;
  if (rule.timestampOverride) fields["kibana.alert.rule.timestamp_override"] = rule.timestampOverride;
  if (rule.buildingBlockType) {
    fields["kibana.alert.building_block_type"] = rule.buildingBlockType;
    fields["kibana.alert.rule.building_block_type"] = rule.buildingBlockType;
  }
  return fields;
}

/**
 * Kibana's reason template: "{category }event[ with][ source IP][:port,][ destination …][ by user][ on host]
 * created {severity} alert {name}."
 */
function reasonFor(rule: Rule, event: Document): string {
  const categories = fieldValues(event, "event.category").map(String);
  const sourceIp = firstString(event, "source.ip");
  const sourcePort = firstString(event, "source.port");
  const destIp = firstString(event, "destination.ip");
  const destPort = firstString(event, "destination.port");
  const user = fieldValues(event, "user.name").map(String).join(", ");
  const host = fieldValues(event, "host.name").map(String).join(", ");
  let reason = categories.length ? `${categories.join(", ")} event` : "event";
  if (sourceIp || destIp) reason += " with";
  if (sourceIp) reason += ` source ${sourceIp}${sourcePort ? `:${sourcePort}` : ""},`;
  if (destIp) reason += ` destination ${destIp}${destPort ? `:${destPort}` : ""},`;
  if (user) reason += ` by ${user}`;
  if (host) reason += ` on ${host}`;
  return `${reason} created ${rule.severity} alert ${rule.name}.`;
}

function firstString(doc: Document, path: string): string | undefined {
  const v = fieldValues(doc, path)[0];
  return v === undefined ? undefined : String(v);
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
