/**
 * What an SQS message about new S3 objects says. Three shapes are understood: an S3 event notification
 * (`{"Records": [{"s3": {...}}]}`), the same wrapped in an SNS envelope (`{"Type": "Notification", "Message": "…"}`),
 * and CloudTrail's own SNS notification of a delivered file (`{"s3Bucket": …, "s3ObjectKey": [...]}`). S3's
 * `s3:TestEvent`, sent when a notification is configured, carries no object.
 */

export interface NotifiedObject {
  bucket: string;
  key: string;
  size: number;
  etag: string;
  /** Epoch ms of the event (or of the SNS notification), 0 when the message has none. */
  eventTime: number;
}

export type Notification = { kind: "test" } | { kind: "objects"; objects: NotifiedObject[] };

/** Throws an Error whose message says what is wrong with the message body. */
export function parseNotification(body: string): Notification {
  let value = parseJson(body, "body");
  let sentAt = 0;
  if (isObject(value) && value.Type === "Notification" && typeof value.Message === "string") {
    sentAt = typeof value.Timestamp === "string" ? Date.parse(value.Timestamp) || 0 : 0;
    value = parseJson(value.Message, "SNS Message");
  }
  if (!isObject(value)) throw new Error("not a JSON object");
  if (value.Event === "s3:TestEvent") return { kind: "test" };
  if (Array.isArray(value.Records)) return { kind: "objects", objects: value.Records.flatMap(recordObjects) };
  if (typeof value.s3Bucket === "string" && Array.isArray(value.s3ObjectKey)) {
    const bucket = value.s3Bucket;
    return {
      kind: "objects",
      objects: value.s3ObjectKey.map((key) => {
        if (typeof key !== "string") throw new Error("s3ObjectKey holds a non-string");
        return { bucket, key, size: 0, etag: "", eventTime: sentAt };
      }),
    };
  }
  throw new Error("neither an S3 event notification (Records) nor a CloudTrail notification (s3Bucket, s3ObjectKey)");
}

function recordObjects(record: unknown, index: number): NotifiedObject[] {
  if (!isObject(record)) throw new Error(`Records[${index}] is not an object`);
  // Only creations name a file to read; removals and other events are acknowledged and skipped.
  if (typeof record.eventName === "string" && !record.eventName.startsWith("ObjectCreated:")) return [];
  const s3 = isObject(record.s3) ? record.s3 : undefined;
  const bucket = s3 && isObject(s3.bucket) ? s3.bucket.name : undefined;
  const object = s3 && isObject(s3.object) ? s3.object : undefined;
  if (typeof bucket !== "string" || !object || typeof object.key !== "string") {
    throw new Error(`Records[${index}] has no s3.bucket.name and s3.object.key`);
  }
  return [
    {
      bucket,
      key: decodeKey(object.key, index),
      size: typeof object.size === "number" ? object.size : 0,
      etag: typeof object.eTag === "string" ? object.eTag : "",
      eventTime: typeof record.eventTime === "string" ? Date.parse(record.eventTime) || 0 : 0,
    },
  ];
}

/** S3 event keys are URL-encoded form style: `%XX` escapes and `+` for a space. */
function decodeKey(key: string, index: number): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, " "));
  } catch (err) {
    const message = `Records[${index}].s3.object.key is not valid URL encoding: ${JSON.stringify(key)}`;
    throw new Error(message, { cause: err });
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${what} is not JSON (${(err as Error).message})`, { cause: err });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
