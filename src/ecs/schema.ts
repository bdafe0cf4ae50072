/**
 * The `logs-aws.cloudtrail-*` mapping as the AWS integration and ecs@mappings declare it (ecs-pipeline.md §3), plus
 * common ECS fields that rules written for other indices reference, so a query naming them verifies.
 */
import { type FieldSpec, type FieldType, mapSchema, type Schema } from "../doc/schema.ts";

const specs: Record<string, FieldSpec> = {};

function declare(type: FieldType, names: string[], extra: Omit<FieldSpec, "type"> = {}): void {
  for (const name of names) specs[name] = { type, ...extra };
}

const CT = "aws.cloudtrail";
const SESSION = `${CT}.user_identity.session_context`;

declare("constant_keyword", ["data_stream.type"], { constant: "logs" });
declare("constant_keyword", ["data_stream.dataset", "event.dataset"], { constant: "aws.cloudtrail" });
declare("constant_keyword", ["event.module"], { constant: "aws" });
/** The namespace is per deployment; a schema for another namespace can be made with `cloudtrailSchemaFor`. */
declare("constant_keyword", ["data_stream.namespace"], { constant: "default" });

declare("date", [
  "@timestamp",
  "event.created",
  "event.ingested",
  `${SESSION}.creation_date`,
  `${CT}.digest.start_time`,
  `${CT}.digest.end_time`,
  `${CT}.digest.newest_event_time`,
  `${CT}.digest.oldest_event_time`,
]);
declare("keyword", [`${CT}.request_parameters`, `${CT}.response_elements`], { ignoreAbove: 8191 });
declare("text", [`${CT}.request_parameters.text`, `${CT}.response_elements.text`]);
declare("keyword", [`${CT}.additional_eventdata`, `${CT}.service_event_details`]);
declare("text", [`${CT}.additional_eventdata.text`, `${CT}.service_event_details.text`]);
declare(
  "flattened",
  [
    "request_parameters",
    "response_elements",
    "additional_eventdata",
    "service_event_details",
    "digest",
    "insight_details",
  ].map((n) => `${CT}.flattened.${n}`),
);
declare("keyword", [
  `${CT}.event_version`,
  `${CT}.event_category`,
  `${CT}.user_identity.type`,
  `${CT}.user_identity.arn`,
  `${CT}.user_identity.access_key_id`,
  `${CT}.user_identity.invoked_by`,
  `${SESSION}.mfa_authenticated`,
  `${SESSION}.session_issuer.type`,
  `${SESSION}.session_issuer.principal_id`,
  `${SESSION}.session_issuer.arn`,
  `${SESSION}.session_issuer.account_id`,
  `${CT}.error_code`,
  `${CT}.error_message`,
  `${CT}.request_id`,
  `${CT}.event_type`,
  `${CT}.api_version`,
  `${CT}.management_event`,
  `${CT}.resources.arn`,
  `${CT}.resources.account_id`,
  `${CT}.resources.type`,
  `${CT}.recipient_account_id`,
  `${CT}.shared_event_id`,
  `${CT}.vpc_endpoint_id`,
  `${CT}.session_credential_from_console`,
  `${CT}.console_login.additional_eventdata.login_to`,
]);
declare("boolean", [
  `${CT}.read_only`,
  `${CT}.console_login.additional_eventdata.mobile_version`,
  `${CT}.console_login.additional_eventdata.mfa_used`,
]);
declare("keyword", [
  "related.entity",
  "target.entity.id",
  "actor.entity.id",
  "user.entity.id",
  "user.target.entity.id",
  "service.entity.id",
  "service.target.entity.id",
  "host.entity.id",
  "host.target.entity.id",
  "entity.id",
  "entity.target.id",
  "aws.s3.bucket.name",
  "aws.s3.bucket.arn",
  "aws.s3.object.key",
  "input.type",
  "cloud.provider",
  "cloud.availability_zone",
  "cloud.instance.id",
  "cloud.instance.name",
]);
declare("flattened", ["aws.s3.metadata"]);
declare("geo_point", ["source.geo.location"]);
declare("keyword", [
  "event.action",
  "event.provider",
  "event.kind",
  "event.outcome",
  "event.type",
  "event.category",
  "event.id",
  "user.id",
  "related.user",
  "related.hash",
  "tags",
  "cloud.account.id",
  "cloud.region",
  "group.id",
  "user.target.id",
  "user_agent.version",
  "user_agent.os.version",
  "source.address",
  "tls.version",
  "tls.version_protocol",
  "tls.cipher",
  "tls.client.server_name",
  "user.email",
  "user.name",
  "user.changes.name",
  "user.target.name",
  "source.as.organization.name",
  "user_agent.os.name",
  "group.name",
  "user_agent.name",
  "user_agent.device.name",
  "cloud.service.name",
  "service.name",
  "user_agent.original",
  "user_agent.os.full",
  "file.path",
  "file.hash.sha256",
  "ecs.version",
  "source.geo.city_name",
  "source.geo.continent_name",
  "source.geo.country_iso_code",
  "source.geo.country_name",
  "source.geo.region_iso_code",
  "source.geo.region_name",
]);
declare("match_only_text", [
  "user.name.text",
  "user.changes.name.text",
  "user.target.name.text",
  "source.as.organization.name.text",
  "user_agent.os.name.text",
  "user_agent.original.text",
  "user_agent.os.full.text",
  "error.message",
]);
declare("ip", ["source.ip", "related.ip"]);
declare("long", ["source.as.number"]);
declare("keyword", ["event.original"]);

/** Common ECS fields other rules reference; keyword unless ECS says otherwise, so the verifier accepts them. */
declare("keyword", [
  "agent.id",
  "agent.name",
  "agent.type",
  "agent.version",
  "host.id",
  "host.name",
  "host.hostname",
  "host.os.name",
  "host.os.type",
  "host.os.family",
  "host.os.platform",
  "process.name",
  "process.executable",
  "process.command_line",
  "process.args",
  "process.entity_id",
  "process.parent.name",
  "process.parent.executable",
  "process.parent.command_line",
  "process.parent.entity_id",
  "process.hash.sha256",
  "file.name",
  "file.extension",
  "file.hash.md5",
  "file.hash.sha1",
  "destination.address",
  "destination.domain",
  "source.domain",
  "url.original",
  "url.domain",
  "url.path",
  "network.protocol",
  "network.transport",
  "network.direction",
  "dns.question.name",
  "user.domain",
  "user.full_name",
  "user.roles",
  "user.target.email",
  "user.target.domain",
  "user.changes.email",
  "group.domain",
  "orchestrator.namespace",
  "orchestrator.resource.name",
  "orchestrator.resource.type",
  "container.id",
  "container.name",
  "container.image.name",
  "rule.name",
  "rule.id",
  "error.code",
  "error.type",
  "message",
  "log.level",
  "log.file.path",
  "service.type",
  "cloud.project.id",
  "cloud.account.name",
  "cloud.service.name",
  "event.reason",
  "event.code",
  "event.severity",
  "event.risk_score",
]);
declare("ip", ["destination.ip", "host.ip", "client.ip", "server.ip"]);
declare("long", [
  "destination.port",
  "source.port",
  "process.pid",
  "process.parent.pid",
  "destination.as.number",
  "log.offset",
]);
declare("keyword", ["destination.as.organization.name"]);
declare("long", ["event.severity", "event.duration"]);
declare("double", ["event.risk_score"]);

export const cloudtrailSchema: Schema = mapSchema(specs);

/** The same mapping for a data stream in another namespace (data_stream.namespace is a per-index constant). */
export function cloudtrailSchemaFor(namespace: string): Schema {
  return mapSchema({ ...specs, "data_stream.namespace": { type: "constant_keyword", constant: namespace } });
}
