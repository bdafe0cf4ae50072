/**
 * Pipeline processors after categorization: digest records, IAM-derived user/group fields, Insight details, TLS,
 * user.email, the final related.user appends, retain clean-up, and the fields #20403 adds (cloud.provider,
 * cloud.service.name, related.ip, service.name).
 */
import type { JsonValue } from "../../doc/document.ts";
import { isoToElasticDate } from "../iso-date.ts";
import { javaPath, javaToPlain } from "../java/to-plain.ts";
import type { JavaValue } from "../java/values.ts";
import { PipelineFailure } from "../pipeline-failure.ts";
import { isPlainObject, plainTake, scalarText } from "../plain.ts";
import type { PipelineContext } from "./context.ts";
import { javaTypeName, renameTo } from "./identity.ts";

/** Flattened paths kept by `retain: minimal` (the ones Elastic's rules require). */
const MINIMAL_FLATTENED = [
  "additional_eventdata.SSEApplied",
  "request_parameters.cidrIp",
  "request_parameters.dryRun",
  "request_parameters.fromPort",
  "request_parameters.includeDeprecated",
  "request_parameters.policyArn",
  "request_parameters.serialNumber",
  "request_parameters.withDecryption",
  "request_parameters.x-amz-server-side-encryption-customer-algorithm",
];

export function mapTailFields(ctx: PipelineContext): void {
  mapDigest(ctx);
  copyJava(ctx, javaPath(ctx.serialized.responseElements, "group", "groupId"), "group.id");
  copyJava(ctx, javaPath(ctx.serialized.responseElements, "user", "userId"), "user.target.id");
  copyJava(ctx, javaPath(ctx.serialized.requestParameters, "newUserName"), "user.changes.name");
  copyJava(ctx, javaPath(ctx.serialized.requestParameters, "groupName"), "group.name");
  copyJava(ctx, javaPath(ctx.serialized.requestParameters, "userName"), "user.target.name");
  // #20403 keeps digest and Insight data whatever the retain mode (the fork dropped them for keyword/minimal).
  const digest = ctx.get("aws.cloudtrail.digest");
  if (digest !== undefined) {
    delete (ctx.doc.aws as { cloudtrail: { [k: string]: JsonValue } }).cloudtrail.digest;
    ctx.put("aws.cloudtrail.flattened.digest", digest);
  }
  const insight = plainTake(ctx.json, "insightDetails");
  if (insight !== undefined) ctx.put("aws.cloudtrail.flattened.insight_details", insight);
  mapTls(ctx);
  const userName = ctx.get("user.name");
  if (!ctx.has("user.email") && typeof userName === "string" && userName.indexOf("@") > 0) {
    ctx.put("user.email", userName);
  }
  for (const path of ["user.id", "user.name", "user.changes.name"]) {
    const value = ctx.get(path);
    const text = value === undefined ? undefined : scalarText(value);
    if (text !== undefined) ctx.appendUnique("related.user", text);
  }
  applyRetain(ctx);
  addPost20403Fields(ctx);
}

function mapDigest(ctx: PipelineContext): void {
  const json = ctx.json;
  if (json.awsAccountId !== undefined && !ctx.has("cloud.account.id"))
    renameTo(ctx, ["awsAccountId"], "cloud.account.id");
  renameTo(ctx, ["digestS3Object"], "file.path");
  // #20403: the previous digest's signature moves from file.hash.sha256 to the digest fields; related.hash stays.
  if (json.previousDigestHashAlgorithm === "SHA-256" && json.previousDigestSignature !== undefined) {
    const signature = plainTake(json, "previousDigestSignature") as JsonValue;
    ctx.put("aws.cloudtrail.digest.previous_hash_value", signature);
    const text = scalarText(signature);
    if (text !== undefined) ctx.appendUnique("related.hash", text);
  }
  renameTo(ctx, ["logFiles"], "aws.cloudtrail.digest.log_files");
  putDate(ctx, json.digestStartTime, "aws.cloudtrail.digest.start_time");
  putDate(ctx, json.digestEndTime, "@timestamp");
  putDate(ctx, json.digestEndTime, "aws.cloudtrail.digest.end_time");
  renameTo(ctx, ["digestS3Bucket"], "aws.cloudtrail.digest.s3_bucket");
  putDate(ctx, json.newestEventTime, "aws.cloudtrail.digest.newest_event_time");
  putDate(ctx, json.oldestEventTime, "aws.cloudtrail.digest.oldest_event_time");
  renameTo(ctx, ["previousDigestS3Bucket"], "aws.cloudtrail.digest.previous_s3_bucket");
  renameTo(ctx, ["previousDigestHashAlgorithm"], "aws.cloudtrail.digest.previous_hash_algorithm");
  renameTo(ctx, ["publicKeyFingerprint"], "aws.cloudtrail.digest.public_key_fingerprint");
  renameTo(ctx, ["digestSignatureAlgorithm"], "aws.cloudtrail.digest.signature_algorithm");
}

function putDate(ctx: PipelineContext, value: unknown, path: string): void {
  const date = isoToElasticDate(value);
  if (date !== undefined) ctx.put(path, date);
}

/** `set … copy_from: json.…` with ignore_empty_value. */
function copyJava(ctx: PipelineContext, value: JavaValue | undefined, path: string): void {
  if (value === undefined || value === null || value === "") return;
  ctx.put(path, javaToPlain(value));
}

function mapTls(ctx: PipelineContext): void {
  const tls = ctx.json.tlsDetails;
  if (tls === undefined) return;
  if (!isPlainObject(tls)) {
    throw new PipelineFailure(
      "remove",
      "remove_json_tlsDetails_d5e86911",
      `dynamic getter [${javaTypeName(tls)}, tlsVersion] not found`,
    );
  }
  if (tls.tlsVersion === "tlsVersion") return;
  const version = tls.tlsVersion;
  if (version !== undefined) {
    // dissect "%{tls.version_protocol}v%{tls.version}": split at the first "v" after a non-empty protocol.
    const v = typeof version === "string" ? version.indexOf("v", 1) : -1;
    if (v > 0 && v < (version as string).length - 1) {
      ctx.put("tls.version_protocol", (version as string).slice(0, v).toLowerCase());
      ctx.put("tls.version", (version as string).slice(v + 1));
    } else {
      ctx.put("tls.version", version as JsonValue);
    }
  }
  if (tls.cipherSuite !== undefined) ctx.put("tls.cipher", tls.cipherSuite as JsonValue);
  if (tls.clientProvidedHostHeader !== undefined)
    ctx.put("tls.client.server_name", tls.clientProvidedHostHeader as JsonValue);
}

function applyRetain(ctx: PipelineContext): void {
  const retain = ctx.options.retain;
  const cloudtrail = (ctx.doc.aws as { cloudtrail?: { [k: string]: JsonValue } } | undefined)?.cloudtrail;
  if (cloudtrail === undefined) return;
  if (retain === "minimal" && isPlainObject(cloudtrail.flattened)) {
    const minimal: { [k: string]: JsonValue } = {};
    const flattened = cloudtrail.flattened as { [k: string]: JsonValue };
    for (const path of MINIMAL_FLATTENED) {
      const [group, key] = [path.slice(0, path.indexOf(".")), path.slice(path.indexOf(".") + 1)];
      const source = flattened[group];
      const value = isPlainObject(source) ? (source as { [k: string]: JsonValue })[key] : undefined;
      if (value === undefined || value === null) continue;
      if (!isPlainObject(minimal[group])) minimal[group] = {};
      (minimal[group] as { [k: string]: JsonValue })[key] = value;
    }
    for (const kept of ["digest", "insight_details"])
      if (flattened[kept] !== undefined) minimal[kept] = flattened[kept];
    cloudtrail.flattened = minimal;
  }
  if (retain !== undefined && retain !== "" && retain !== "all" && retain !== "keyword" && retain !== "minimal") {
    delete cloudtrail.response_elements;
    delete cloudtrail.request_parameters;
    delete cloudtrail.additional_eventdata;
  }
}

function addPost20403Fields(ctx: PipelineContext): void {
  ctx.put("cloud.provider", "aws");
  const provider = ctx.get("event.provider");
  if (typeof provider === "string" && provider !== "") {
    ctx.put(
      "cloud.service.name",
      provider.endsWith(".amazonaws.com") ? provider.slice(0, -".amazonaws.com".length) : provider,
    );
  }
  const ip = ctx.get("source.ip");
  if (typeof ip === "string") ctx.appendUnique("related.ip", ip);
  const invokedBy = ctx.get("aws.cloudtrail.user_identity.invoked_by");
  if (ctx.get("aws.cloudtrail.user_identity.type") === "AWSService" && typeof invokedBy === "string") {
    ctx.put("service.name", invokedBy);
  }
}
