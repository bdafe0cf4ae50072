/**
 * One CloudTrail record as text, with its fields in the order CloudTrail writes them. Records are assembled from
 * pre-rendered JSON fragments, never through JSON.stringify of objects: that is what makes the simulator fast.
 * Every value placed between quotes here comes from the simulator's own vocabulary, which holds no characters
 * that need escaping.
 */
import type { Random } from "./random.ts";
import { isoSeconds } from "./time-format.ts";

/** What an API call contributes to its record. */
export interface CallShape {
  source: string;
  name: string;
  readOnly: boolean;
  /** Rendered JSON or "null". */
  request: string;
  response: string;
  resources?: string;
  additional?: string;
  /** S3 object-level calls are data events. */
  data?: boolean;
  /** tlsDetails.clientProvidedHostHeader; undefined when a service calls another (no TLS details recorded). */
  host?: string;
  error?: { code: string; message: string };
  /** Services with versioned APIs (Elastic Load Balancing) record the version. */
  apiVersion?: string;
  /** S3 request ids are 16 upper-case hex characters instead of a UUID. */
  shortRequestId?: boolean;
}

export interface EventContext {
  time: number;
  account: string;
  region: string;
  ip: string;
  userAgent: string;
  identity: string;
  sharedEventID?: string;
}

export interface BuiltRecord {
  eventID: string;
  text: string;
}

const HEAD = `{"eventVersion":"1.11","userIdentity":`;
const DATA_HEAD = `{"eventVersion":"1.10","userIdentity":`;
const TLS_HEAD = `,"tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"`;

export function buildRecord(rng: Random, ctx: EventContext, call: CallShape): BuiltRecord {
  const eventID = rng.uuid();
  const requestID = call.shortRequestId ? rng.hex(16).toUpperCase() : rng.uuid();
  // Plain concatenation, not an array joined: V8 keeps the pieces as a rope, flattened once as delivery encodes it.
  // Constant runs are whole literals, since each piece joined on is one more node of the rope.
  let text =
    `${call.data ? DATA_HEAD : HEAD}${ctx.identity},"eventTime":"${isoSeconds(ctx.time)}","eventSource":"${call.source}",` +
    `"eventName":"${call.name}","awsRegion":"${ctx.region}","sourceIPAddress":"${ctx.ip}","userAgent":"${ctx.userAgent}",`;
  if (call.error) text += `"errorCode":"${call.error.code}","errorMessage":"${call.error.message}",`;
  text += `"requestParameters":${call.request},"responseElements":${call.response},`;
  if (call.additional) text += `"additionalEventData":${call.additional},`;
  text += `"requestID":"${requestID}","eventID":"${eventID}",${call.readOnly ? `"readOnly":true,` : `"readOnly":false,`}`;
  if (call.resources) text += `"resources":${call.resources},`;
  if (call.apiVersion) text += `"eventType":"AwsApiCall","apiVersion":"${call.apiVersion}",`;
  else text += `"eventType":"AwsApiCall",`;
  text += `"managementEvent":${call.data ? "false" : "true"},"recipientAccountId":"${ctx.account}",`;
  if (ctx.sharedEventID) text += `"sharedEventID":"${ctx.sharedEventID}",`;
  text += call.data ? `"eventCategory":"Data"` : `"eventCategory":"Management"`;
  if (call.host) text += `${TLS_HEAD}${call.host}"}`;
  return { eventID, text: `${text}}` };
}
