/**
 * Reads one CloudTrail record: the four fields the pipeline prints with Java `toString()` are parsed with the
 * order-preserving parser, everything else with the engine's JSON.parse (much faster). Top-level duplicate keys
 * are rejected as Elasticsearch's json processor rejects them.
 */
import { JsonSyntaxError, parseJavaValue } from "./java/ordered-json.ts";
import type { JavaValue } from "./java/values.ts";

export const SERIALIZED_FIELDS = [
  "requestParameters",
  "responseElements",
  "additionalEventData",
  "serviceEventDetails",
] as const;
export type SerializedField = (typeof SERIALIZED_FIELDS)[number];

export type PlainObject = { [key: string]: unknown };

export interface RecordParts {
  plain: PlainObject;
  serialized: Partial<Record<SerializedField, JavaValue>>;
}

const SERIALIZED = new Set<string>(SERIALIZED_FIELDS);

/** Throws JsonSyntaxError (or SyntaxError from JSON.parse) for anything that is not one valid JSON object. */
export function readRecord(raw: string): RecordParts {
  let i = skipWs(raw, 0);
  if (raw.charCodeAt(i) !== 123) throw new JsonSyntaxError("a CloudTrail record must be a JSON object");
  const serialized: Partial<Record<SerializedField, JavaValue>> = {};
  const cuts: number[] = [];
  const seen = new Set<string>();
  i = skipWs(raw, i + 1);
  if (raw.charCodeAt(i) !== 125) {
    for (;;) {
      i = skipWs(raw, i);
      if (raw.charCodeAt(i) !== 34) throw new JsonSyntaxError(`expected a key at offset ${i}`);
      const keyEnd = skipString(raw, i);
      const keyText = raw.slice(i, keyEnd);
      const key = keyText.includes("\\") ? (JSON.parse(keyText) as string) : keyText.slice(1, -1);
      if (seen.has(key)) throw new JsonSyntaxError(`Duplicate field '${key}'`);
      seen.add(key);
      i = skipWs(raw, keyEnd);
      if (raw.charCodeAt(i) !== 58) throw new JsonSyntaxError(`expected ':' at offset ${i}`);
      const valueStart = skipWs(raw, i + 1);
      if (SERIALIZED.has(key)) {
        const parsed = parseJavaValue(raw, valueStart);
        serialized[key as SerializedField] = parsed.value;
        cuts.push(valueStart, parsed.end);
        i = parsed.end;
      } else {
        i = skipValue(raw, valueStart);
      }
      i = skipWs(raw, i);
      const c = raw.charCodeAt(i++);
      if (c === 44) continue;
      if (c === 125) break;
      throw new JsonSyntaxError(`expected ',' or '}' at offset ${i - 1}`);
    }
  }
  // JSON.parse validates everything else; the already-parsed subtrees are replaced by null so they are not re-read.
  let text = raw;
  if (cuts.length > 0) {
    const pieces: string[] = [];
    let from = 0;
    for (let k = 0; k < cuts.length; k += 2) {
      pieces.push(raw.slice(from, cuts[k]), "null");
      from = cuts[k + 1];
    }
    pieces.push(raw.slice(from));
    text = pieces.join("");
  }
  const plain = JSON.parse(text) as PlainObject;
  for (const key of Object.keys(serialized)) delete plain[key];
  return { plain, serialized };
}

function skipWs(t: string, i: number): number {
  for (;;) {
    const c = t.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) i++;
    else return i;
  }
}

/** Index after the string starting at `i` (which must be a quote). */
function skipString(t: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = t.indexOf('"', j);
    if (q < 0) throw new JsonSyntaxError(`unterminated string at offset ${i}`);
    let backslashes = 0;
    for (let k = q - 1; t.charCodeAt(k) === 92; k--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** Index after the JSON value starting at `i`; not validating (JSON.parse does that afterwards). */
function skipValue(t: string, i: number): number {
  const c = t.charCodeAt(i);
  if (c === 34) return skipString(t, i);
  if (c === 123 || c === 91) {
    let depth = 0;
    let j = i;
    for (;;) {
      const d = t.charCodeAt(j);
      if (Number.isNaN(d)) throw new JsonSyntaxError(`unterminated value at offset ${i}`);
      if (d === 34) {
        j = skipString(t, j);
        continue;
      }
      if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
  }
  let j = i;
  for (;;) {
    const d = t.charCodeAt(j);
    if (Number.isNaN(d) || d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) return j;
    j++;
  }
}
