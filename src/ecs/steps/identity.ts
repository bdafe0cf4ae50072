/** Pipeline processors from `eventVersion` through `errorMessage`: identity, event, source and user agent. */
import type { JsonValue } from "../../doc/document.ts";
import { isIpLiteral } from "../ip-literal.ts";
import { isoToElasticDate } from "../iso-date.ts";
import { javaToPlain } from "../java/to-plain.ts";
import { JavaMap, JavaNumber } from "../java/values.ts";
import { PipelineFailure } from "../pipeline-failure.ts";
import { isPlainObject, plainGet, plainTake, plainTakePath } from "../plain.ts";
import { parseUserAgent } from "../user-agent/user-agent.ts";
import type { PipelineContext } from "./context.ts";

const SESSION_ARN = /arn:(?:aws|aws-us-gov):sts:.*\/(.*)$/;

export function mapIdentityAndEvent(ctx: PipelineContext): void {
  const json = ctx.json;
  const identity = json.userIdentity;
  if (identity !== undefined && !isPlainObject(identity)) {
    // Elasticsearch would silently map nothing from it; trailwatch flags the malformed record instead.
    throw new PipelineFailure(
      "rename",
      "rename_user_identity_type",
      `field [userIdentity] of type [${javaTypeName(identity)}] is not an object`,
    );
  }
  renameTo(ctx, ["eventVersion"], "aws.cloudtrail.event_version");
  renameTo(ctx, ["userIdentity", "type"], "aws.cloudtrail.user_identity.type");
  renameTo(ctx, ["userIdentity", "userName"], "user.name");
  renameTo(ctx, ["userIdentity", "principalId"], "user.id");
  renameTo(ctx, ["userIdentity", "arn"], "aws.cloudtrail.user_identity.arn");
  renameTo(ctx, ["userIdentity", "accountId"], "cloud.account.id");
  renameTo(ctx, ["userIdentity", "accessKeyId"], "aws.cloudtrail.user_identity.access_key_id");
  const attributes = ["userIdentity", "sessionContext", "attributes"];
  renameTo(ctx, [...attributes, "mfaAuthenticated"], "aws.cloudtrail.user_identity.session_context.mfa_authenticated");
  const creation = isoToElasticDate(plainGet(json, ...attributes, "creationDate"));
  if (creation !== undefined) ctx.put("aws.cloudtrail.user_identity.session_context.creation_date", creation);
  const issuer = ["userIdentity", "sessionContext", "sessionIssuer"];
  const issuerPath = "aws.cloudtrail.user_identity.session_context.session_issuer";
  renameTo(ctx, [...issuer, "type"], `${issuerPath}.type`);
  const identityType = ctx.get("aws.cloudtrail.user_identity.type");
  const isRoleSession = identityType === "AssumedRole" || identityType === "FederatedUser";
  if (isRoleSession) {
    const roleName = plainTake(json, ...issuer, "userName");
    if (roleName !== undefined) ctx.put("user.name", roleName);
  }
  renameTo(ctx, [...issuer, "principalId"], `${issuerPath}.principal_id`);
  if (isRoleSession) extractSessionName(ctx);
  if (identityType === "IdentityCenterUser" && !ctx.has("user.id")) {
    renameTo(ctx, ["userIdentity", "onBehalfOf", "userId"], "user.id");
  }
  renameTo(ctx, [...issuer, "arn"], `${issuerPath}.arn`);
  renameTo(ctx, [...issuer, "accountId"], `${issuerPath}.account_id`);
  renameTo(ctx, ["sessionCredentialFromConsole"], "aws.cloudtrail.session_credential_from_console");
  renameTo(ctx, ["userIdentity", "invokedBy"], "aws.cloudtrail.user_identity.invoked_by");
  renameTo(ctx, ["eventSource"], "event.provider");
  const action = json.eventName;
  if (action !== undefined && action !== null && !isPlainObject(action) && !Array.isArray(action)) {
    const text = String(action);
    if (text !== "") ctx.put("event.action", text);
  }
  renameTo(ctx, ["eventCategory"], "aws.cloudtrail.event_category");
  moveUserAuthenticationUserName(ctx);
  if (json.awsRegion != null && json.awsRegion !== "") ctx.put("cloud.region", json.awsRegion as JsonValue);
  mapSource(ctx);
  mapUserAgent(ctx);
  renameTo(ctx, ["errorCode"], "aws.cloudtrail.error_code");
  renameTo(ctx, ["errorMessage"], "aws.cloudtrail.error_message");
}

/** `rename` with ignore_missing: moves the value (of any type) and removes it from `json`. */
export function renameTo(ctx: PipelineContext, from: string[], to: string): void {
  const value = plainTakePath(ctx.json, from);
  if (value !== undefined) ctx.put(to, value);
}

function extractSessionName(ctx: PipelineContext): void {
  const arn = ctx.get("aws.cloudtrail.user_identity.arn");
  if (arn === undefined) return;
  if (typeof arn !== "string") {
    throw new PipelineFailure(
      "grok",
      "extract_session_name_from_arn",
      `field [aws.cloudtrail.user_identity.arn] of type [${javaTypeName(arn)}] cannot be cast to [java.lang.String]`,
    );
  }
  const m = SESSION_ARN.exec(arn);
  // grok without ignore_failure: an ARN outside the aws / aws-us-gov partitions fails the pipeline, as in Elastic.
  if (m === null) {
    throw new PipelineFailure(
      "grok",
      "extract_session_name_from_arn",
      "Provided Grok expressions do not match field value: [" + arn + "]",
    );
  }
  const sessionName = m[1];
  ctx.sessionName = sessionName;
  ctx.appendUnique("related.user", sessionName);
  const at = sessionName.indexOf("@");
  if (at > 0) ctx.appendUnique("related.user", sessionName.slice(0, at));
  // Merged #20318: the session name is the user's e-mail address when it looks like one.
  if (at > 0) ctx.put("user.email", sessionName);
}

function moveUserAuthenticationUserName(ctx: PipelineContext): void {
  if (ctx.get("event.action") !== "UserAuthentication" || ctx.has("user.name")) return;
  const extra = ctx.serialized.additionalEventData;
  if (!(extra instanceof JavaMap)) {
    if (extra !== undefined)
      throwShortcut(extra, "UserName", "rename", "rename_additionalEventData_UserName_to_username");
    return;
  }
  const userName = extra.get("UserName");
  if (userName === undefined || userName === null) return;
  extra.remove("UserName");
  if (extra.size === 0) delete ctx.serialized.additionalEventData;
  ctx.put("user.name", javaToPlain(userName));
}

function mapSource(ctx: PipelineContext): void {
  const address = plainTake(ctx.json, "sourceIPAddress");
  if (address === undefined) return;
  ctx.put("source.address", address);
  if (typeof address === "string" && isIpLiteral(address)) ctx.put("source.ip", address);
}

function mapUserAgent(ctx: PipelineContext): void {
  const agent = ctx.json.userAgent;
  if (agent === undefined) return;
  delete ctx.json.userAgent;
  if (typeof agent !== "string") {
    // The user_agent processor fails on a non-string; its on_failure renames the raw value.
    ctx.put("user_agent.original", agent as JsonValue);
    return;
  }
  ctx.put("user_agent", parseUserAgent(agent));
}

/** Painless field access through something that is not a map (`list.userName`, `"text".userName`) throws. */
export function throwShortcut(value: unknown, key: string, processor: string, tag: string): never {
  const message = Array.isArray(value)
    ? `Illegal list shortcut value [${key}].`
    : `dynamic getter [${javaTypeName(value)}, ${key}] not found`;
  throw new PipelineFailure(processor, tag, message);
}

export function javaTypeName(value: unknown): string {
  if (typeof value === "string") return "java.lang.String";
  if (typeof value === "boolean") return "java.lang.Boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "java.lang.Integer" : "java.lang.Double";
  if (value instanceof JavaNumber) return value.isDouble ? "java.lang.Double" : "java.lang.Integer";
  if (Array.isArray(value)) return "java.util.ArrayList";
  return "java.util.HashMap";
}
