/**
 * One live object's bytes → its record texts: gzip recognised by magic bytes (not the name), then split like any
 * CloudTrail file. A truncated or corrupt object yields what could be recovered, plus the problems.
 */
import { constants, gunzipSync } from "node:zlib";
import { RecordSplitter } from "../../sources/index.ts";

export interface ObjectRecords {
  records: string[];
  problems: string[];
}

export function objectRecords(bytes: Buffer, name: string): ObjectRecords {
  const problems: string[] = [];
  const records: string[] = [];
  let text: Buffer = bytes;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      text = gunzipSync(bytes);
    } catch (err) {
      // Recover what precedes the damage, as scan does for truncated files.
      problems.push(`corrupt or truncated gzip: ${(err as Error).message}`);
      text = salvage(bytes);
    }
  }
  const splitter = new RecordSplitter(
    { record: (r) => records.push(r), problem: (m) => problems.push(m) },
    /\.(ndjson|jsonl)(\.gz)?$/i.test(name),
  );
  splitter.push(text.toString("utf8"));
  splitter.end();
  return { records, problems };
}

function salvage(bytes: Buffer): Buffer {
  try {
    return gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    return Buffer.alloc(0);
  }
}
