/**
 * Select before decoding: a whole CloudTrail file's gunzipped bytes are searched natively for the rules' needles
 * (raw-needles.ts) and split at record starts (record-segments.ts); only records holding a needle are given the raw
 * test, on their bytes in place (raw-range-test.ts), and decoded only if they pass; the rest are only counted. When
 * the file is not CloudTrail's own compact shape, or a record the test passes is not exactly one JSON object, the
 * answer is undefined and the file goes the general way, so what rules see is the same either way.
 */
import type { RareNeedle } from "./rare-needle.ts";
import type { RangeTest } from "./raw-range-test.ts";
import { type RecordSegments, recordSegments, segmentEnd } from "./record-segments.ts";

export interface RecordScreen {
  /** The raw test on records' bytes in a file's buffer (see raw-range-test.ts). */
  rangeTest: (data: Buffer) => RangeTest;
  needles: RareNeedle[];
}

export interface ScreenedFile {
  /** Records in the file. */
  records: number;
  /** The records the raw test passes, with their 0-based position in the file, in order. */
  passed: { index: number; text: string }[];
}

export function screenFile(data: Buffer, screen: RecordScreen): ScreenedFile | undefined {
  const segments = recordSegments(data);
  if (!segments) return undefined;
  const hit = new Uint8Array(segments.starts.length);
  for (const needle of screen.needles) markHits(data, needle, segments, hit);
  const passed: ScreenedFile["passed"] = [];
  const test = screen.rangeTest(data);
  for (let i = 0; i < hit.length; i++) {
    if (!hit[i]) continue;
    const start = segments.starts[i];
    const end = segmentEnd(segments, i);
    if (!test(start, end)) continue;
    const text = data.toString("utf8", start, end);
    if (!isOneObject(text)) return undefined;
    passed.push({ index: i, text });
  }
  return { records: segments.starts.length, passed };
}

/** Marks every record holding the needle; after a hit the search goes on from the next record. */
function markHits(data: Buffer, needle: RareNeedle, segments: RecordSegments, hit: Uint8Array): void {
  const { starts, end } = segments;
  let record = 0;
  for (let at = needle.indexIn(data, starts[0]); at >= 0 && at < end; ) {
    while (record + 1 < starts.length && starts[record + 1] <= at) record++;
    hit[record] = 1;
    if (record + 1 >= starts.length) return;
    at = needle.indexIn(data, starts[record + 1]);
  }
}

function isOneObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
