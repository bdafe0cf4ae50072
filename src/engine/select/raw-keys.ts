/**
 * Which ECS fields the AWS CloudTrail pipeline copies verbatim from a raw record key, so that a value of the field is
 * also a value of that key somewhere in the record text. Only such fields can be checked before parsing; everything
 * derived (event.outcome, related.*, source.as.*) is not listed and makes no pre-filter test.
 */
const RAW_KEYS: ReadonlyMap<string, readonly string[]> = new Map([
  ["event.action", ["eventName"]],
  ["event.provider", ["eventSource"]],
  ["cloud.region", ["awsRegion"]],
  ["aws.cloudtrail.user_identity.type", ["type"]],
  ["aws.cloudtrail.user_identity.access_key_id", ["accessKeyId"]],
  ["aws.cloudtrail.error_code", ["errorCode"]],
  // userIdentity.userName, sessionIssuer.userName (role sessions) or additionalEventData.UserName.
  ["user.name", ["userName", "UserName"]],
]);

/** The raw keys an ECS field's value is copied from, or undefined when it is derived. */
export function rawKeysOf(field: string): readonly string[] | undefined {
  return RAW_KEYS.get(field);
}
