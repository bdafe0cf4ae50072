/**
 * Compiles a Requirement into a test on a record's raw JSON text, run before JSON.parse. A field value required by a
 * rule must then appear as the string value of one of the field's raw keys (see raw-keys.ts) somewhere in the record;
 * every occurrence of the key is looked at, so nesting never hides the real one.
 *
 * Exactness: a test may pass records no rule selects, never reject one a rule could select.
 * - Only values whose raw spelling is certain are used: no quote, backslash or control character (which JSON must
 *   escape), and nothing a number, boolean or null could stringify to.
 * - Otherwise, JSON may still spell a character as `\uXXXX` or `/` as `\/`: a record containing either is passed.
 * - An occurrence whose value is an array or object, or a string holding an escape, is undecided and passes.
 */
import { rawKeysOf } from "./raw-keys.ts";
import { type Requirement, restrict, type ValuesRequirement } from "./requirement.ts";

export type RawTest = (text: string) => boolean;

/** Undefined when nothing checkable remains: every record must then be parsed. */
export function compileRawTest(requirement: Requirement | undefined): RawTest | undefined {
  const usable = checkablePart(requirement);
  if (!usable) return undefined;
  const keys: string[] = [];
  const test = compileRequirement(usable, keys);
  return (text) => test(new RecordText(text, keys)) || hasUncertainEscape(text);
}

/**
 * Invalid UTF-8 decodes to U+FFFD, so a value holding U+FFFD (or a lone surrogate, which UTF-8 cannot carry) may
 * match text whose bytes differ from the value's encoding.
 */
export function certainBytes(value: string): boolean {
  return !value.includes("\uFFFD") && Buffer.from(value).toString() === value;
}

export function everyValue(req: Requirement, ok: (value: string) => boolean): boolean {
  return req.kind === "values" ? req.values.every(ok) : req.parts.every((p) => everyValue(p, ok));
}

export function mapValues(req: Requirement, map: (value: string) => string): Requirement {
  if (req.kind === "values") return { ...req, values: req.values.map(map) };
  return { kind: req.kind, parts: req.parts.map((p) => mapValues(p, map)) };
}

/** What of a requirement the raw test checks; undefined when nothing. */
export function checkablePart(requirement: Requirement | undefined): Requirement | undefined {
  return restrict(requirement, checkable);
}

function checkable(req: ValuesRequirement): boolean {
  return rawKeysOf(req.field) !== undefined && req.values.length > 0 && req.values.every(plainValue);
}

const JSON_SCALAR_WORDS = new Set(["true", "false", "null"]);

/** A value JSON writes only one way (bar `\u` / `\/`), that no non-string scalar stringifies to. */
export function plainValue(value: string): boolean {
  if (value.trim() === "" || JSON_SCALAR_WORDS.has(value) || !Number.isNaN(Number(value))) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

function hasUncertainEscape(text: string): boolean {
  for (let at = text.indexOf("\\"); at >= 0; at = text.indexOf("\\", at + 2)) {
    const next = text.charCodeAt(at + 1);
    if (next === 0x75 /* u */ || next === 0x2f /* / */) return true;
  }
  return false;
}

/** A record as the compiled test sees it: for a raw key (by index), whether one of its values may be in `wanted`. */
export interface RawRecord {
  mayHold(key: number, wanted: Set<string>): boolean;
}

export type RecordTest = (record: RawRecord) => boolean;

/** `keys` collects the raw keys the tests read; a test refers to a key by its index there. */
export function compileRequirement(req: Requirement, keys: string[]): RecordTest {
  return compileNode(req, keys).test;
}

/**
 * A test and the first key it reads. The parts of an `and` run in order of their first key, so a key several
 * branches share (looked up once per record) decides before keys only one branch reads are searched for.
 */
function compileNode(req: Requirement, keys: string[]): { test: RecordTest; firstKey: number } {
  switch (req.kind) {
    case "values": {
      const ids = (rawKeysOf(req.field) ?? []).map((key) => {
        if (!keys.includes(key)) keys.push(key);
        return keys.indexOf(key);
      });
      const wanted = new Set(req.values);
      const firstKey = Math.min(...ids);
      if (ids.length === 1) return { test: (record) => record.mayHold(ids[0], wanted), firstKey };
      return { test: (record) => ids.some((id) => record.mayHold(id, wanted)), firstKey };
    }
    case "and": {
      const parts = req.parts.map((p) => compileNode(p, keys)).sort((a, b) => a.firstKey - b.firstKey);
      const tests = parts.map((p) => p.test);
      return { test: (record) => tests.every((t) => t(record)), firstKey: parts[0].firstKey };
    }
    case "or": {
      const parts = req.parts.map((p) => compileNode(p, keys));
      const tests = parts.map((p) => p.test);
      return { test: (record) => tests.some((t) => t(record)), firstKey: Math.min(...parts.map((p) => p.firstKey)) };
    }
  }
}

/**
 * A record's raw keys, each key's string values looked up once (on first use) for the compiled test; subclasses say
 * how to find them in their kind of record.
 */
export abstract class RecordValues implements RawRecord {
  /** Per key index: its values, undefined when undecidable, null before the first lookup. */
  private readonly found: (string[] | undefined | null)[];

  constructor(keys: number) {
    this.found = new Array(keys).fill(null);
  }

  /** The string values of every occurrence of the key; undefined when one of them cannot be read exactly. */
  protected abstract valuesOf(key: number): string[] | undefined;

  /** Forgets the values looked up, for the next record. */
  protected forget(): void {
    this.found.fill(null);
  }

  /** Whether some occurrence of the key has a value in `wanted`, or one that cannot be decided. */
  mayHold(key: number, wanted: Set<string>): boolean {
    let values = this.found[key];
    if (values === null) {
      values = this.valuesOf(key);
      this.found[key] = values;
    }
    if (values === undefined) return true;
    for (const v of values) if (wanted.has(v)) return true;
    return false;
  }
}

/** One record's text. */
class RecordText extends RecordValues {
  constructor(
    private readonly text: string,
    private readonly keys: string[],
  ) {
    super(keys.length);
  }

  protected valuesOf(key: number): string[] | undefined {
    return stringValuesOf(this.text, this.keys[key]);
  }
}

const QUOTE = 0x22;

/** The string values of every `"key": …` in the text; undefined when one of them cannot be read exactly. */
function stringValuesOf(text: string, key: string): string[] | undefined {
  const needle = `"${key}"`;
  const values: string[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) {
    let i = skipSpace(text, at + needle.length);
    if (text.charCodeAt(i) !== 0x3a /* : */) continue; // a value, not a key
    i = skipSpace(text, i + 1);
    const c = text.charCodeAt(i);
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) return undefined;
    if (c !== QUOTE) continue; // number, boolean or null: never equal to a plain value
    const end = text.indexOf('"', i + 1);
    if (end < 0) return undefined;
    const value = text.slice(i + 1, end);
    if (value.includes("\\")) return undefined;
    values.push(value);
  }
  return values;
}

function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}
