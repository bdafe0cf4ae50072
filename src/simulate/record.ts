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

const TLS13 = `"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256"`;

export function buildRecord(rng: Random, ctx: EventContext, call: CallShape): BuiltRecord {
  const eventID = rng.uuid();
  const requestID = call.shortRequestId ? rng.hex(16).toUpperCase() : rng.uuid();
  const p: string[] = [
    `{"eventVersion":"${call.data ? "1.10" : "1.11"}","userIdentity":`, ctx.identity, `,"eventTime":"`, isoSeconds(ctx.time),
    `","eventSource":"`, call.source, `","eventName":"`, call.name, `","awsRegion":"`, ctx.region,
    `","sourceIPAddress":"`, ctx.ip, `","userAgent":"`, ctx.userAgent, `",`,
  ];
  if (call.error) p.push(`"errorCode":"`, call.error.code, `","errorMessage":"`, call.error.message, `",`);
  p.push(`"requestParameters":`, call.request, `,"responseElements":`, call.response, ",");
  if (call.additional) p.push(`"additionalEventData":`, call.additional, ",");
  p.push(`"requestID":"`, requestID, `","eventID":"`, eventID, `","readOnly":`, call.readOnly ? "true" : "false", ",");
  if (call.resources) p.push(`"resources":`, call.resources, ",");
  p.push(`"eventType":"AwsApiCall",`);
  if (call.apiVersion) p.push(`"apiVersion":"`, call.apiVersion, `",`);
  p.push(`"managementEvent":`, call.data ? "false" : "true", `,"recipientAccountId":"`, ctx.account, `",`);
  if (ctx.sharedEventID) p.push(`"sharedEventID":"`, ctx.sharedEventID, `",`);
  p.push(`"eventCategory":"`, call.data ? "Data" : "Management", `"`);
  if (call.host) p.push(`,"tlsDetails":{`, TLS13, `,"clientProvidedHostHeader":"`, call.host, `"}`);
  p.push("}");
  return { eventID, text: p.join("") };
}
