/**
 * One live object's bytes → its record texts: gzip recognised by magic bytes (not the name), then split like any
 * CloudTrail file. A truncated or corrupt object yields what could be recovered, plus the problems.
 */
import { inflateWhole, isGzip, RecordSplitter } from "../../sources/index.ts";

/** Node's own cap on a Buffer: an object is read whole, as S3 hands it over. */
const MAX_OUTPUT = 2 ** 31 - 1;

export interface ObjectRecords {
  records: string[];
  problems: string[];
}

export function objectRecords(bytes: Buffer, name: string): ObjectRecords {
  const problems: string[] = [];
  const records: string[] = [];
  let text: Buffer = bytes;
  if (isGzip(bytes)) {
    // What precedes any damage is kept, as scan does.
    const inflated = inflateWhole(bytes, MAX_OUTPUT);
    text = inflated.data;
    if (inflated.problem) problems.push(inflated.problem);
  }
  const splitter = new RecordSplitter(
    { record: (r) => records.push(r), problem: (m) => problems.push(m) },
    /\.(ndjson|jsonl)(\.gz)?$/i.test(name),
  );
  splitter.push(text.toString("utf8"));
  splitter.end();
  return { records, problems };
}
