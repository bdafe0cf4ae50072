/**
 * Record boundaries of a CloudTrail log file found with native byte searches, without a character loop. CloudTrail
 * writes `{"Records":[{"eventVersion":…},{"eventVersion":…}]}`, compact, every record starting with eventVersion.
 * Inside a JSON string a `"` is always escaped, so the bytes `{"eventVersion":` can only open an object whose first
 * key is eventVersion. Anything else — another file shape, a record with other key order or whitespace (any
 * "eventVersion" not opening a record), a BOM, such an object nested as a value — gives undefined, and the caller
 * splits the file the general way.
 *
 * Two cases are not seen here: a record without eventVersion at all, and an object starting with eventVersion as a
 * later element of an array of objects inside a record (`[{…},{"eventVersion":…}]`). A segment holding a record the
 * raw test passes is parsed before use, so such a file never yields a wrong document; only its record count would
 * be off by one for each.
 */
const HEAD = Buffer.from('{"Records":[{"eventVersion":');
/** Where the first record's `{` is. */
const FIRST = HEAD.length - '{"eventVersion":'.length;
/**
 * What is searched for: the end of `"eventVersion"`. The native search jumps between occurrences of a needle's
 * first byte, so one starting with `"` (every few bytes of JSON) is three times slower than one starting with `V`.
 */
const PROBE = Buffer.from('Version"');
/** What precedes PROBE in `"eventVersion"`; before PROBE anything else (`"apiVersion"`) is another key. */
const EVENT = Buffer.from('"event');
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
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
  for (let at = data.indexOf(PROBE, HEAD.length); at >= 0 && at < end; at = data.indexOf(PROBE, at + PROBE.length)) {
    if (!follows(data, at, EVENT)) continue;
    // Every "eventVersion" must open a record, right after `},`: one elsewhere is a record of another shape (key
    // order, whitespace) or a nested object (after `:` or `[`).
    const start = at - EVENT.length - 1;
    if (data[start] !== OPEN_BRACE || data[at + PROBE.length] !== COLON) return undefined;
    if (data[start - 1] !== COMMA || data[start - 2] !== CLOSE_BRACE) return undefined;
    starts.push(start);
  }
  return { starts, end };
}

/** Where record `i` ends (exclusive), without the `,` that separates it from the next. */
export function segmentEnd(segments: RecordSegments, i: number): number {
  return i + 1 < segments.starts.length ? segments.starts[i + 1] - 1 : segments.end;
}

/** Whether `before` ends right at `at`. */
function follows(data: Buffer, at: number, before: Buffer): boolean {
  for (let i = 1; i <= before.length; i++) if (data[at - i] !== before[before.length - i]) return false;
  return true;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
