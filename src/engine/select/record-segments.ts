/**
 * Record boundaries of a CloudTrail log file found with native byte searches, without a character loop. CloudTrail
 * writes `{"Records":[{"eventVersion":…},{"eventVersion":…}]}`, compact, every record starting with eventVersion.
 * Inside a JSON string a `"` is always escaped, so the bytes `{"eventVersion":` can only open an object whose first
 * key is eventVersion. Anything else — another shape, key order, whitespace, a BOM, such an object nested as a value
 * — gives undefined, and the caller splits the file the general way.
 *
 * One case is not seen here: an object starting with eventVersion as a later element of an array of objects inside
 * a record (`[{…},{"eventVersion":…}]`). A segment holding a selected record is parsed before use, so such a file
 * never yields a wrong document; only the record count would be one too high for it.
 */
const HEAD = Buffer.from('{"Records":[{"eventVersion":');
const START = Buffer.from('{"eventVersion":');
const FIRST = HEAD.length - START.length;
const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

export interface RecordSegments {
  /** Where each record starts. */
  starts: number[];
  /** Where the last record ends (exclusive): the Records array's `]`. */
  end: number;
}

export function recordSegments(data: Buffer): RecordSegments | undefined {
  if (data.length < HEAD.length || data.compare(HEAD, 0, HEAD.length, 0, HEAD.length) !== 0) return undefined;
  let close = data.length;
  while (close > 0 && isSpace(data[close - 1])) close--;
  // `…}]}`: the last record's brace, the array's bracket, the wrapper's brace.
  const end = close - 2;
  if (data[close - 1] !== CLOSE_BRACE || data[end] !== CLOSE_BRACKET || data[end - 1] !== CLOSE_BRACE) return undefined;
  const starts = [FIRST];
  for (let at = data.indexOf(START, FIRST + START.length); at >= 0 && at < end; ) {
    // Between records: exactly `},`. A start after `:` or `[` is a nested object.
    if (data[at - 1] !== COMMA || data[at - 2] !== CLOSE_BRACE) return undefined;
    starts.push(at);
    at = data.indexOf(START, at + START.length);
  }
  return { starts, end };
}

/** Where record `i` ends (exclusive), without the `,` that separates it from the next. */
export function segmentEnd(segments: RecordSegments, i: number): number {
  return i + 1 < segments.starts.length ? segments.starts[i + 1] - 1 : segments.end;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
