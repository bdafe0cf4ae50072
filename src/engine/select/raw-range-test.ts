/**
 * The raw test of raw-test.ts, run on records' UTF-8 bytes in place, inside a whole file's buffer: nothing is
 * decoded but the short values of the keys the test reads. Each key has a cursor through the buffer, and records are
 * tested in increasing order, so however many records are tested, each key's occurrences in a file are searched for
 * once. Required values are compared in their UTF-8 bytes (as latin1 strings, one character per byte), which is the
 * same test when every value's bytes are certain (see certainBytes).
 */
import { certainBytes, checkablePart, compileRequirement, everyValue, mapValues, RecordValues } from "./raw-test.ts";
import { RareNeedle } from "./rare-needle.ts";
import type { Requirement } from "./requirement.ts";

/** Whether the record at [start, end) may be selected. Calls must come in increasing order of `start`. */
export type RangeTest = (start: number, end: number) => boolean;

/** Undefined when there is no raw test, or a required value's bytes are not certain. */
export function compileRawRangeTest(requirement: Requirement | undefined): ((data: Buffer) => RangeTest) | undefined {
  const usable = checkablePart(requirement);
  if (!usable || !everyValue(usable, certainBytes)) return undefined;
  const keys: string[] = [];
  const test = compileRequirement(
    mapValues(usable, (v) => Buffer.from(v).toString("latin1")),
    keys,
  );
  const needles = keys.map((key) => new RareNeedle(`"${key}"`));
  return (data) => {
    const record = new RecordRange(data, needles);
    return (start, end) => {
      record.enter(start, end);
      return test(record) || record.hasUncertainEscape();
    };
  };
}

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const COLON = 0x3a;

/** One record of a buffer at a time, with per-key cursors that only move forward. */
class RecordRange extends RecordValues {
  private start = 0;
  private end = 0;
  /** Per key: where its next occurrence is (the buffer's length when there is none); -1 before the first search. */
  private readonly next: number[];
  private nextEscape = -1;

  constructor(
    private readonly data: Buffer,
    private readonly needles: RareNeedle[],
  ) {
    super(needles.length);
    this.next = needles.map(() => -1);
  }

  enter(start: number, end: number): void {
    this.start = start;
    this.end = end;
    this.forget();
  }

  /** JSON may spell any character `\uXXXX` and `/` as `\/`: a record holding either is undecided. */
  hasUncertainEscape(): boolean {
    const { data, end } = this;
    let at = this.nextEscape < this.start ? this.searchByte(BACKSLASH, this.start) : this.nextEscape;
    let uncertain = false;
    while (at < end) {
      const c = data[at + 1];
      if (c === 0x75 /* u */ || c === 0x2f /* / */) {
        uncertain = true;
        break;
      }
      at = this.searchByte(BACKSLASH, at + 2);
    }
    this.nextEscape = at;
    return uncertain;
  }

  /** The string values of every `"key": …` in the record; undefined when one of them cannot be read exactly. */
  protected valuesOf(key: number): string[] | undefined {
    const { data, end } = this;
    const needle = this.needles[key];
    let at = this.next[key] < this.start ? this.search(needle, this.start) : this.next[key];
    const values: string[] = [];
    for (; at < end; at = this.search(needle, at + needle.length)) {
      let i = skipSpace(data, at + needle.length);
      if (data[i] !== COLON) continue; // a value, not a key
      i = skipSpace(data, i + 1);
      const c = data[i];
      if (c === 0x5b /* [ */ || c === 0x7b /* { */) break;
      if (c !== QUOTE) continue; // number, boolean or null: never equal to a plain value
      const close = data.indexOf(QUOTE, i + 1);
      if (close < 0 || close >= end) break;
      const value = data.toString("latin1", i + 1, close);
      if (value.includes("\\")) break;
      values.push(value);
    }
    // Stopping early (undecidable) leaves the cursor inside this record; the next record searches afresh.
    this.next[key] = at;
    return at < end ? undefined : values;
  }

  /** The next occurrence at or after `from`; the buffer's length when there is none. */
  private search(needle: RareNeedle, from: number): number {
    const at = needle.indexIn(this.data, from);
    return at < 0 ? this.data.length : at;
  }

  private searchByte(byte: number, from: number): number {
    const at = this.data.indexOf(byte, from);
    return at < 0 ? this.data.length : at;
  }
}

function skipSpace(data: Buffer, i: number): number {
  for (;;) {
    const c = data[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}
