/**
 * The pipeline's `script_append_related_entity` (fork @1bc21c5b, ecs-pipeline.md §1.2 step 7): runs only when the
 * agent tagged the event `actor_target_mapping`. It fills `related.entity`, `actor.entity.id`, `target.entity.id`
 * and the typed `user|host|service.entity.id`, `user|host|service.target.entity.id`, `entity.id`,
 * `entity.target.id`. The script collects into TreeSets, so every list is sorted (Java String order = UTF-16 code
 * units, as JS sorts). A Painless runtime error is caught by the processor's own on_failure, which tags the event
 * and sets `error.message`; the pipeline then goes on.
 */
import type { JsonValue } from "../../doc/document.ts";
import type { PipelineContext } from "./context.ts";
import { PainlessRuntimeError, property } from "./entity-access.ts";
import { EntityCollector } from "./entity-collector.ts";
import { SERVICE_RULES } from "./entity-services.ts";

export const ACTOR_TARGET_MAPPING_TAG = "actor_target_mapping";

const USER_RESOURCE_TYPES = new Set([
  "user",
  "role",
  "assumed-role",
  "federated-user",
  "instance-profile",
  "mfa",
  "serialNumber",
]);
const HOST_RESOURCE_TYPES = new Set(["instance"]);
const SERVICE_RESOURCE_TYPES = new Set(
  (
    "stack stack-set trail configuration-recorder file-system mount-target rule detector key function log-group " +
    "log-stream alarm db cluster global-cluster trust-anchor resolver-query-log-config secret parameter document " +
    "session webacl rulegroup ipset topic model loadbalancer table group policy security-group network-interface vpc " +
    "subnet network-acl dhcp-options"
  ).split(" "),
);
const HOST_ID_PREFIXES = ["i-"];
const SERVICE_ID_PREFIXES = "sg- sgr- eni- vpc- subnet- acl- rtb- igw- nat- vpce- tgw- pcx-".split(" ");
const USER_IDENTITY_TYPES = new Set(["IAMUser", "Root", "AssumedRole"]);

export function mapEntities(ctx: PipelineContext): void {
  if (ctx.json.eventName == null || !ctx.tags?.includes(ACTOR_TARGET_MAPPING_TAG)) return;
  const entityFields: [string, JsonValue][] = [];
  try {
    collect(ctx, entityFields);
  } catch (error) {
    if (!(error instanceof PainlessRuntimeError)) throw error;
    if (!ctx.tags.includes("preserve_original_event")) ctx.tags.push("preserve_original_event");
    ctx.put(
      "error.message",
      "Processor 'script'\nwith tag 'script_append_related_entity'\nfailed with message 'runtime error'\n",
    );
    return;
  }
  // field(...).set happens as the script goes; a failure midway leaves nothing because we write only at the end.
  for (const [path, value] of entityFields) ctx.put(path, value);
}

function collect(ctx: PipelineContext, out: [string, JsonValue][]): void {
  const c = new EntityCollector(ctx);
  c.addFields(c.related, [
    "userIdentity.accessKeyId",
    "userIdentity.arn",
    "userIdentity.userName",
    "userIdentity.sessionContext.sessionIssuer.arn",
    "userIdentity.sessionContext.sessionIssuer.userName",
  ]);
  if (c.get("userIdentity.type") === "IdentityCenterUser") {
    c.addField(c.related, "userIdentity.onBehalfOf.identityStoreArn");
  }
  for (const resource of c.list("resources")) c.addValue(c.related, property(resource, "ARN"));
  const eventSource = c.get("eventSource");
  const eventName = c.get("eventName");
  const name = typeof eventName === "string" ? eventName : null;
  for (const [source, rule] of SERVICE_RULES) if (eventSource === source) rule(c, name);

  if (c.target.size > 0) {
    out.push(["target.entity.id", sorted(c.target)]);
    for (const [field, values] of classifyTargets(c.target)) out.push([field, values]);
    for (const t of c.target) c.related.add(t);
  }
  if (c.actor !== null && c.actor !== undefined) {
    const actor = c.actor as JsonValue;
    out.push(["actor.entity.id", [actor]]);
    out.push([actorField(String(actor), c.get("userIdentity.type")), [actor]]);
  }
  out.push(["related.entity", sorted(c.related)]);
}

function sorted(values: Set<string>): string[] {
  return [...values].sort();
}

/** The ARN's resource type: the sixth `:`-separated part, up to its first `/` (`splitOnToken` keeps empty parts). */
function arnResourceType(arn: string): { service: string; type: string } | undefined {
  const parts = arn.split(":");
  if (parts.length < 6) return undefined;
  const slash = parts[5].indexOf("/");
  return { service: parts[2], type: slash > 0 ? parts[5].slice(0, slash) : parts[5] };
}

function isServiceLinkedRole(value: string): boolean {
  return value.includes("/AWSServiceRoleFor") || value.includes("/aws-service-role/");
}

function classifyTargets(targets: Set<string>): [string, string[]][] {
  const byField = new Map<string, Set<string>>();
  const add = (field: string, value: string): void => {
    const set = byField.get(field) ?? new Set<string>();
    set.add(value);
    byField.set(field, set);
  };
  for (const target of targets) add(targetField(target), target);
  const order = ["user.target.entity.id", "host.target.entity.id", "service.target.entity.id", "entity.target.id"];
  return order.filter((f) => byField.has(f)).map((f) => [f, sorted(byField.get(f) as Set<string>)]);
}

function targetField(target: string): string {
  if (target.startsWith("arn:")) {
    const arn = arnResourceType(target);
    if (arn === undefined) return "entity.target.id";
    if (isServiceLinkedRole(target)) return "service.target.entity.id";
    if (USER_RESOURCE_TYPES.has(arn.type)) return "user.target.entity.id";
    if (HOST_RESOURCE_TYPES.has(arn.type)) return "host.target.entity.id";
    if (SERVICE_RESOURCE_TYPES.has(arn.type) || arn.service === "s3") return "service.target.entity.id";
    return "entity.target.id";
  }
  // An access key id (AKIA + 16) is a user; then resource id prefixes.
  if (target.length === 20 && target.startsWith("AKIA")) return "user.target.entity.id";
  if (HOST_ID_PREFIXES.some((p) => target.startsWith(p))) return "host.target.entity.id";
  if (SERVICE_ID_PREFIXES.some((p) => target.startsWith(p))) return "service.target.entity.id";
  return "entity.target.id";
}

function actorField(actor: string, userType: unknown): string {
  if (userType === "AWSService" || isServiceLinkedRole(actor)) return "service.entity.id";
  if (typeof userType === "string" && USER_IDENTITY_TYPES.has(userType)) return "user.entity.id";
  if (actor.startsWith("arn:")) {
    const type = arnResourceType(actor)?.type;
    if (type === "user" || type === "role" || type === "assumed-role" || type === "federated-user") {
      return "user.entity.id";
    }
    if (type === "instance") return "host.entity.id";
  }
  if (actor.startsWith("i-")) return "host.entity.id";
  return "entity.id";
}
