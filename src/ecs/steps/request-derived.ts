/**
 * Pipeline processors from the retain configuration through the ECS categorization script: the Java `toString()`
 * fields, request/event identifiers, resources, account fallback, related.user and ConsoleLogin details.
 */
import type { JsonValue } from "../../doc/document.ts";
import { CATEGORIZATION } from "../categorization-table.ts";
import { javaKeyHash, simulateLayout } from "../java/hash-map-layout.ts";
import { iterationOrder, javaToString } from "../java/map-to-string.ts";
import { javaScalarText, javaToPlain } from "../java/to-plain.ts";
import { JavaMap, type JavaValue } from "../java/values.ts";
import { PipelineFailure } from "../pipeline-failure.ts";
import { isPlainObject, mustacheEscaped, scalarText } from "../plain.ts";
import type { SerializedField } from "../record-reader.ts";
import type { PipelineContext } from "./context.ts";
import { renameTo, throwShortcut } from "./identity.ts";

/** A flattened copy is kept only when its string form is shorter than Lucene's term limit. */
const FLATTENED_LIMIT = 32766;

const SERIALIZED_TARGETS: [SerializedField, string][] = [
  ["requestParameters", "request_parameters"],
  ["responseElements", "response_elements"],
  ["additionalEventData", "additional_eventdata"],
  ["serviceEventDetails", "service_event_details"],
];

export function keepsFlattened(retain: string | undefined): boolean {
  return retain === undefined || ["all", "flattened", "minimal"].some((mode) => retain.includes(mode));
}

export function mapRequestDerived(ctx: PipelineContext): void {
  serialize(ctx);
  renameTo(ctx, ["requestID"], "aws.cloudtrail.request_id");
  renameTo(ctx, ["eventID"], "event.id");
  renameTo(ctx, ["eventType"], "aws.cloudtrail.event_type");
  renameTo(ctx, ["apiVersion"], "aws.cloudtrail.api_version");
  const management = ctx.json.managementEvent;
  if (management !== undefined && management !== null) {
    ctx.put("aws.cloudtrail.management_event", scalarText(management) ?? JSON.stringify(management));
  }
  renameTo(ctx, ["readOnly"], "aws.cloudtrail.read_only");
  dedupeResources(ctx);
  renameTo(ctx, ["resources"], "aws.cloudtrail.resources");
  renameTo(ctx, ["recipientAccountId"], "aws.cloudtrail.recipient_account_id");
  const recipient = ctx.get("aws.cloudtrail.recipient_account_id");
  if (!ctx.has("cloud.account.id") && recipient !== undefined && recipient !== "") {
    ctx.put("cloud.account.id", recipient);
  }
  // The pipeline reads `sharedEventId`; CloudTrail writes `sharedEventID`, so this only maps the former spelling.
  renameTo(ctx, ["sharedEventId"], "aws.cloudtrail.shared_event_id");
  renameTo(ctx, ["vpcEndpointId"], "aws.cloudtrail.vpc_endpoint_id");

  const request = ctx.serialized.requestParameters;
  const response = ctx.serialized.responseElements;
  appendRelatedUser(ctx, mapField(request, "userName", "append_related_user_0121b806"));
  appendRelatedUser(ctx, mapField(request, "newUserName", "append_related_user_5ff399b8"));
  const user = mapField(response, "user", "append_related_user_e323b1c9");
  appendRelatedUser(ctx, mapField(user, "userId", "append_related_user_e323b1c9"));
  consoleLogin(ctx);
  categorize(ctx, response);
}

function serialize(ctx: PipelineContext): void {
  const keepFlattened = keepsFlattened(ctx.options.retain);
  if (keepFlattened) ctx.put("aws.cloudtrail.flattened", {});
  for (const [source, target] of SERIALIZED_TARGETS) {
    const value = ctx.serialized[source];
    if (value === undefined) continue;
    let text: string;
    try {
      text = javaToString(value);
    } catch (error) {
      throw new PipelineFailure("script", "script_duplicate_rules_fields", (error as Error).message);
    }
    ctx.put(`aws.cloudtrail.${target}`, text);
    if (keepFlattened && text.length < FLATTENED_LIMIT)
      ctx.put(`aws.cloudtrail.flattened.${target}`, javaToPlain(value));
  }
}

/** Painless `x?.key` on a parsed value: null-safe, but a list or scalar in the way throws. */
function mapField(value: JavaValue | undefined, key: string, tag: string, processor = "append"): JavaValue | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof JavaMap) return value.get(key);
  return throwShortcut(value, key, processor, tag);
}

/** `append related.user '{{…}}'`: the double-brace template JSON-escapes the text. */
function appendRelatedUser(ctx: PipelineContext, value: JavaValue | undefined): void {
  if (value === undefined || value === null) return;
  const text = javaScalarText(value) ?? javaToString(value);
  ctx.appendUnique("related.user", mustacheEscaped(text));
}

/**
 * Resources de-duplicated on `arn_accountId_type` through a HashMap, so the surviving list is in the HashMap
 * order of those composite keys; a later duplicate replaces the value but keeps the key's position.
 */
function dedupeResources(ctx: PipelineContext): void {
  const resources = ctx.json.resources;
  if (!Array.isArray(resources)) return;
  const keys: string[] = [];
  const byKey = new Map<string, { [key: string]: JsonValue }>();
  for (const original of resources) {
    if (!isPlainObject(original)) continue;
    const resource: { [key: string]: JsonValue } = { ...(original as { [key: string]: JsonValue }) };
    if (Object.hasOwn(resource, "ARN")) {
      resource.arn = resource.ARN;
      delete resource.ARN;
    }
    if (Object.hasOwn(resource, "accountId")) {
      resource.account_id = resource.accountId;
      delete resource.accountId;
    }
    const part = (k: string) => (Object.hasOwn(resource, k) ? painlessConcat(resource[k]) : "");
    const key = `${part("arn")}_${part("account_id")}_${part("type")}`;
    if (!byKey.has(key)) keys.push(key);
    byKey.set(key, resource);
  }
  const table = new JavaMap();
  for (const key of keys) {
    table.keys.push(key);
    table.values.push(null);
    table.hashes.push(javaKeyHash(key));
  }
  const layout = simulateLayout(table.hashes);
  table.capacity = layout.capacity;
  table.treeified = layout.treeified;
  const ordered = table.treeified ? keys : iterationOrder(table).map((i) => keys[i]);
  ctx.json.resources = ordered.map((k) => byKey.get(k) as JsonValue);
}

function painlessConcat(value: JsonValue): string {
  return scalarText(value) ?? (value === null ? "null" : JSON.stringify(value));
}

function consoleLogin(ctx: PipelineContext): void {
  if (ctx.json.eventName !== "ConsoleLogin") return;
  const extra = ctx.serialized.additionalEventData;
  if (!(extra instanceof JavaMap)) return;
  const details: { [key: string]: JsonValue } = {};
  const mobile = extra.get("MobileVersion");
  if (mobile !== undefined && mobile !== null) details.mobile_version = mobile !== "No";
  const loginTo = extra.get("LoginTo");
  if (loginTo !== undefined && loginTo !== null) details.login_to = javaToPlain(loginTo);
  const mfa = extra.get("MFAUsed");
  if (mfa !== undefined && mfa !== null) details.mfa_used = mfa !== "No";
  if (Object.keys(details).length > 0) ctx.put("aws.cloudtrail.console_login.additional_eventdata", details);
}

function categorize(ctx: PipelineContext, response: JavaValue | undefined): void {
  ctx.put("event.kind", "event");
  ctx.put("event.type", ["info"]);
  const failed = ctx.has("aws.cloudtrail.error_code") || ctx.has("aws.cloudtrail.error_message");
  ctx.put("event.outcome", failed ? "failure" : "success");
  const action = ctx.get("event.action");
  if (typeof action !== "string") return;
  if (action === "ConsoleLogin") {
    const outcome = mapField(response, "ConsoleLogin", "Add ECS categorization", "script");
    if (outcome !== undefined && outcome !== null) {
      const text = javaScalarText(outcome);
      if (text === undefined)
        throw new PipelineFailure("script", "Add ECS categorization", "cannot lowercase a non-string");
      ctx.put("event.outcome", text.toLowerCase());
    }
  }
  const entry = CATEGORIZATION.get(action);
  if (entry === undefined) return;
  ctx.put("event.category", [...entry.category]);
  ctx.put("event.type", [...entry.type]);
}
