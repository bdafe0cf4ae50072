/**
 * The security alerts index (`.alerts-security.alerts-<space>`) as ES|QL sees it: Kibana's alert field map
 * (framework, legacy and security fields) plus the ECS component template for the copied source-event fields. The
 * alerts index is `dynamic: false`, so fields outside those mappings (`aws.cloudtrail.*`, ES|QL result columns of
 * aggregating alerts) stay in `_source` only and are unknown columns, as in Elasticsearch.
 */
import type { AlertDocument } from "../alerts/build.ts";
import { type Document, setField } from "../doc/document.ts";
import { type FieldSpec, type FieldType, mapSchema, type Schema } from "../doc/schema.ts";

export const ALERTS_INDEX = ".alerts-security.alerts-default";

const KEYWORD = [
  "event.action",
  "event.kind",
  "tags",
  "kibana.space_ids",
  "kibana.version",
  "kibana.alert.action_group",
  "kibana.alert.building_block_type",
  "kibana.alert.case_ids",
  "kibana.alert.instance.id",
  "kibana.alert.maintenance_window_ids",
  "kibana.alert.previous_action_group",
  "kibana.alert.reason",
  "kibana.alert.severity",
  "kibana.alert.status",
  "kibana.alert.system_status",
  "kibana.alert.url",
  "kibana.alert.uuid",
  "kibana.alert.workflow_assignee_ids",
  "kibana.alert.workflow_reason",
  "kibana.alert.workflow_status",
  "kibana.alert.workflow_tags",
  "kibana.alert.workflow_user",
  "kibana.alert.new_terms",
  "kibana.alert.ancestors.id",
  "kibana.alert.ancestors.index",
  "kibana.alert.ancestors.rule",
  "kibana.alert.ancestors.type",
  "kibana.alert.suppression.terms.field",
  "kibana.alert.suppression.terms.value",
  // Legacy rule fields are keywords, including `enabled` and `version`.
  ...[
    "author",
    "category",
    "consumer",
    "created_by",
    "description",
    "enabled",
    "execution.type",
    "execution.uuid",
    "false_positives",
    "from",
    "immutable",
    "interval",
    "license",
    "name",
    "note",
    "producer",
    "references",
    "rule_id",
    "rule_name_override",
    "rule_type_id",
    "tags",
    "threat.framework",
    "threat.tactic.id",
    "threat.tactic.name",
    "threat.tactic.reference",
    "threat.technique.id",
    "threat.technique.name",
    "threat.technique.reference",
    "threat.technique.subtechnique.id",
    "threat.technique.subtechnique.name",
    "threat.technique.subtechnique.reference",
    "timeline_id",
    "timeline_title",
    "timestamp_override",
    "to",
    "type",
    "updated_by",
    "uuid",
    "version",
  ].map((f) => `kibana.alert.rule.${f}`),
  ...[
    "action",
    "category",
    "code",
    "dataset",
    "hash",
    "id",
    "kind",
    "module",
    "original",
    "outcome",
    "provider",
    "reason",
    "reference",
    "timezone",
    "type",
    "url",
    "agent_id_status",
  ].map((f) => `kibana.alert.original_event.${f}`),
];

const TYPED: [FieldType, string[]][] = [
  ["keyword", KEYWORD],
  [
    "date",
    [
      "@timestamp",
      "kibana.alert.end",
      "kibana.alert.intended_timestamp",
      "kibana.alert.last_detected",
      "kibana.alert.original_time",
      "kibana.alert.rule.created_at",
      "kibana.alert.rule.updated_at",
      "kibana.alert.start",
      "kibana.alert.suppression.start",
      "kibana.alert.suppression.end",
      "kibana.alert.workflow_status_updated_at",
      "kibana.alert.original_event.created",
      "kibana.alert.original_event.end",
      "kibana.alert.original_event.ingested",
      "kibana.alert.original_event.start",
    ],
  ],
  [
    "long",
    [
      "kibana.alert.ancestors.depth",
      "kibana.alert.consecutive_matches",
      "kibana.alert.depth",
      "kibana.alert.duration.us",
      "kibana.alert.rule.max_signals",
      "kibana.alert.rule.revision",
      "kibana.alert.suppression.docs_count",
      "kibana.alert.original_event.sequence",
      "kibana.alert.original_event.severity",
      "kibana.alert.original_event.duration",
    ],
  ],
  [
    "float",
    [
      "kibana.alert.risk_score",
      "kibana.alert.original_event.risk_score",
      "kibana.alert.original_event.risk_score_norm",
    ],
  ],
  ["boolean", ["kibana.alert.flapping", "kibana.alert.flapping_history", "kibana.alert.severity_improving"]],
  ["flattened", ["kibana.alert.rule.parameters"]],
];

/**
 * The alerts index mapping for alerts built from `eventSchema` documents: Kibana's alert fields, and the event's
 * ECS fields as the ECS template maps them (a keyword where the event index had a constant_keyword; integration
 * fields such as `aws.*` are not mapped).
 */
export function alertsSchema(eventSchema: Schema): Schema {
  const specs: Record<string, FieldSpec> = {};
  for (const name of eventSchema.fields()) {
    if (name.startsWith("aws.")) continue;
    const spec = eventSchema.field(name);
    if (!spec) continue;
    specs[name] = spec.type === "constant_keyword" ? { type: "keyword", ignoreAbove: 1024 } : spec;
  }
  for (const [type, names] of TYPED) for (const name of names) specs[name] = { type };
  return mapSchema(specs);
}

/**
 * An alert as `_source`: the flat dotted keys trailwatch writes (`kibana.alert.rule.name`) nested into objects, so
 * it reads like any other document.
 */
export function alertDocument(alert: AlertDocument): Document {
  const doc: Document = {};
  // Copies, so that nesting a later dotted key never writes into the alert's own objects.
  for (const [key, value] of Object.entries(alert)) setField(doc, key, structuredClone(value));
  return doc;
}
