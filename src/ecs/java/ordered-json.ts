/**
 * An order- and lexeme-preserving JSON parser producing the Java objects Elasticsearch's json processor would hold.
 * Duplicate keys are an error, as they are for Elasticsearch's parser. Nesting is capped like Jackson's default so
 * hostile input cannot exhaust the stack.
 */
import { javaKeyHash, simulateLayout } from "./hash-map-layout.ts";
import { JavaMap, JavaNumber, type JavaValue } from "./values.ts";

export const MAX_NESTING_DEPTH = 1000;

export class JsonSyntaxError extends Error {}

export interface Parsed {
  value: JavaValue;
  end: number;
}

/** Parses one JSON value starting at `start` (leading whitespace allowed); returns it and the index after it. */
export function parseJavaValue(text: string, start = 0): Parsed {
  const p = new Parser(text, start);
  const value = p.value(0);
  return { value, end: p.pos };
}

/** Parses a whole text that must hold exactly one JSON value. */
export function parseJavaDocument(text: string): JavaValue {
  const p = new Parser(text, 0);
  const value = p.value(0);
  p.ws();
  if (p.pos !== text.length) throw p.fail("unexpected trailing content");
  return value;
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

class Parser {
  constructor(
    readonly text: string,
    public pos: number,
  ) {}

  fail(what: string): JsonSyntaxError {
    return new JsonSyntaxError(`${what} at offset ${this.pos}`);
  }

  ws(): void {
    const t = this.text;
    let i = this.pos;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.pos = i;
  }

  value(depth: number): JavaValue {
    this.ws();
    const c = this.text.charCodeAt(this.pos);
    if (c === 34) return this.string();
    if (c === 123) return this.object(depth + 1);
    if (c === 91) return this.array(depth + 1);
    if (c === 116 && this.text.startsWith("true", this.pos)) {
      this.pos += 4;
      return true;
    }
    if (c === 102 && this.text.startsWith("false", this.pos)) {
      this.pos += 5;
      return false;
    }
    if (c === 110 && this.text.startsWith("null", this.pos)) {
      this.pos += 4;
      return null;
    }
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (m === null || m[0].length === 0) throw this.fail("unexpected character");
    this.pos += m[0].length;
    return new JavaNumber(m[0], m[1] !== undefined || m[2] !== undefined);
  }

  string(): string {
    const t = this.text;
    const start = this.pos + 1;
    let i = start;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 34) {
        this.pos = i + 1;
        return t.slice(start, i);
      }
      if (c === 92) break;
      if (c < 32 || Number.isNaN(c)) {
        this.pos = i;
        throw this.fail(Number.isNaN(c) ? "unterminated string" : "control character in string");
      }
      i++;
    }
    // Escapes present: find the closing quote, then let the engine decode exactly as JSON does.
    let j = i;
    for (;;) {
      const c = t.charCodeAt(j);
      if (Number.isNaN(c)) {
        this.pos = j;
        throw this.fail("unterminated string");
      }
      if (c === 92) j += 2;
      else if (c === 34) break;
      else j++;
    }
    this.pos = j + 1;
    try {
      return JSON.parse(t.slice(start - 1, j + 1)) as string;
    } catch {
      throw this.fail("invalid string escape");
    }
  }

  object(depth: number): JavaMap {
    if (depth > MAX_NESTING_DEPTH) throw this.fail("nesting too deep");
    const map = new JavaMap();
    this.pos++;
    this.ws();
    if (this.text.charCodeAt(this.pos) === 125) {
      this.pos++;
      return map;
    }
    let seen: Set<string> | undefined;
    for (;;) {
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 34) throw this.fail("expected a key");
      const key = this.string();
      if (map.keys.length < 16) {
        if (map.keys.includes(key)) throw new JsonSyntaxError(`Duplicate field '${key}'`);
      } else {
        seen ??= new Set(map.keys);
        if (seen.has(key)) throw new JsonSyntaxError(`Duplicate field '${key}'`);
        seen.add(key);
      }
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 58) throw this.fail("expected ':'");
      this.pos++;
      const value = this.value(depth);
      map.keys.push(key);
      map.values.push(value);
      map.hashes.push(javaKeyHash(key));
      this.ws();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 44) continue;
      if (c === 125) break;
      this.pos--;
      throw this.fail("expected ',' or '}'");
    }
    const layout = simulateLayout(map.hashes);
    map.capacity = layout.capacity;
    map.treeified = layout.treeified;
    return map;
  }

  array(depth: number): JavaValue[] {
    if (depth > MAX_NESTING_DEPTH) throw this.fail("nesting too deep");
    const list: JavaValue[] = [];
    this.pos++;
    this.ws();
    if (this.text.charCodeAt(this.pos) === 93) {
      this.pos++;
      return list;
    }
    for (;;) {
      list.push(this.value(depth));
      this.ws();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 44) continue;
      if (c === 93) break;
      this.pos--;
      throw this.fail("expected ',' or ']'");
    }
    return list;
  }
}
