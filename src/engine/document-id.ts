import { createHash } from "node:crypto";
import { type Document, fieldValues } from "../doc/document.ts";

/**
 * The `_id` a document gets, as scan gives it: the CloudTrail eventID, so a record delivered twice is one event; per
 * copy (hash of the object name, record position, as Filebeat's aws-s3 input derives it) when Kibana-compatible.
 */
export function documentId(doc: Document, origin: string, position: number, perCopy: boolean): string {
  const eventId = fieldValues(doc, "event.id")[0];
  if (!perCopy && eventId !== undefined) return String(eventId);
  const objectHash = createHash("sha256").update(origin).digest("hex").slice(0, 10);
  return `${objectHash}-${String(position).padStart(12, "0")}`;
}
