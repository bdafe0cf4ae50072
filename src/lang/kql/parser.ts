/**
 * A hand-written parser for Kibana's KQL grammar. It is a PEG parser like Kibana's (ordered choice, backtracking,
 * the same whitespace and keyword rules), so every query Kibana accepts parses the same way here and every query it
 * rejects is rejected, with the furthest failure position and what was expected there.
 */
import { QueryError } from "../errors.ts";
import { isLoneWildcard, type KqlLiteral, type KqlNode, type KqlRangeOp } from "./ast.ts";

/** Parses a KQL query. Throws QueryError("kql", "parse") with the offset of the first thing that cannot be read. */
export function parseKql(query: string): KqlNode {
  let node: KqlNode;
  try {
    node = new Parser(query).parse();
  } catch (error) {
    // Recursive descent: absurdly deep parentheses exhaust the stack; report that as a query error, not a crash.
    if (!(error instanceof RangeError)) throw error;
    throw new QueryError("kql", "parse", "the query nests too deeply", query, 0);
  }
  sources.set(node, query);
  return node;
}

// The text each parsed tree came from, so that errors found later (compiling) can point into it.
const sources = new WeakMap<KqlNode, string>();

export function querySource(node: KqlNode): string | undefined {
  return sources.get(node);
}

/** A value list before its field is distributed over it. */
type ValueTree =
  | { type: "and" | "or"; children: ValueTree[]; parens: number }
  | { type: "not"; child: ValueTree; parens: number }
  | { type: "value"; value: KqlLiteral; parens: number };

const WILDCARD = Symbol("wildcard");
// Characters that end an unquoted literal unless escaped.
const SPECIAL = new Set(["\\", "(", ")", ":", "<", ">", '"', "*", "{", "}"]);
const HEX = /^[0-9a-fA-F]{4}$/;

function isSpace(ch: string | undefined): boolean {
  return ch === " " || ch === "\t" || ch === "\r" || ch === "\n" || ch === "\u00A0";
}

class Parser {
  private pos = 0;
  private failPos = 0;
  private readonly expected = new Set<string>();
  // Inside a named rule (value, literal, fieldName, OR, AND, NOT) only the rule's name is reported, as in peggy.
  private silent = 0;

  constructor(private readonly src: string) {}

  parse(): KqlNode {
    this.spaces();
    let query: KqlNode | null = null;
    if (this.pos < this.src.length) query = this.orQuery();
    this.spaces();
    if (this.pos < this.src.length) {
      this.fail("end of input");
      throw this.error();
    }
    return query ?? { type: "matchAll" };
  }

  private error(): QueryError {
    const found = this.failPos < this.src.length ? JSON.stringify(this.src[this.failPos]) : "end of input";
    const list = [...this.expected].sort();
    const wanted = list.length > 1 ? `${list.slice(0, -1).join(", ")} or ${list[list.length - 1]}` : list[0];
    return new QueryError("kql", "parse", `expected ${wanted} but ${found} found`, this.src, this.failPos);
  }

  private fail(what: string, at = this.pos): void {
    if (this.silent > 0) return;
    if (at > this.failPos) {
      this.failPos = at;
      this.expected.clear();
    }
    if (at === this.failPos) this.expected.add(what);
  }

  /** Runs a rule under a name: on failure, report the name at the start position instead of the rule's insides. */
  private named<T>(name: string, rule: () => T | null): T | null {
    const start = this.pos;
    this.silent++;
    const result = rule();
    this.silent--;
    if (result === null) {
      this.pos = start;
      this.fail(name, start);
    }
    return result;
  }

  private char(ch: string): boolean {
    if (this.src[this.pos] === ch) {
      this.pos++;
      return true;
    }
    this.fail(JSON.stringify(ch));
    return false;
  }

  private spaces(): number {
    const start = this.pos;
    while (isSpace(this.src[this.pos])) this.pos++;
    this.fail("whitespace");
    return this.pos - start;
  }

  private wordAt(at: number, word: string): boolean {
    return this.src.slice(at, at + word.length).toLowerCase() === word;
  }

  /** `Space+ word Space+` (OR, AND). */
  private binaryKeyword(word: "or" | "and"): boolean {
    return (
      this.named(word.toUpperCase(), () => {
        if (this.spaces() === 0 || !this.wordAt(this.pos, word)) return null;
        this.pos += word.length;
        return this.spaces() > 0 ? true : null;
      }) !== null
    );
  }

  /** `not Space+`. */
  private notKeyword(): boolean {
    return (
      this.named("NOT", () => {
        if (!this.wordAt(this.pos, "not")) return null;
        this.pos += 3;
        return this.spaces() > 0 ? true : null;
      }) !== null
    );
  }

  /** Kibana's Keyword lookahead, which ends an unquoted literal: `Space or Space`, `Space and Space`, `not Space`. */
  private keywordAhead(at: number): boolean {
    const s = this.src;
    if (isSpace(s[at])) {
      if (this.wordAt(at + 1, "or") && isSpace(s[at + 3])) return true;
      if (this.wordAt(at + 1, "and") && isSpace(s[at + 4])) return true;
    }
    return this.wordAt(at, "not") && isSpace(s[at + 3]);
  }

  private sequence<T>(parseItem: () => T | null, separator: () => boolean): T[] | null {
    const head = parseItem();
    if (head === null) return null;
    const items = [head];
    for (;;) {
      const save = this.pos;
      const item = separator() ? parseItem() : null;
      if (item === null) {
        this.pos = save;
        return items;
      }
      items.push(item);
    }
  }

  private orQuery(): KqlNode | null {
    const items = this.sequence(
      () => this.andQuery(),
      () => this.binaryKeyword("or"),
    );
    return items === null ? null : items.length === 1 ? items[0] : { type: "or", children: items };
  }

  private andQuery(): KqlNode | null {
    const items = this.sequence(
      () => this.notQuery(),
      () => this.binaryKeyword("and"),
    );
    return items === null ? null : items.length === 1 ? items[0] : { type: "and", children: items };
  }

  private notQuery(): KqlNode | null {
    const save = this.pos;
    if (this.notKeyword()) {
      const child = this.subQuery();
      if (child !== null) return { type: "not", child };
      this.pos = save;
    }
    return this.subQuery();
  }

  private subQuery(): KqlNode | null {
    const save = this.pos;
    if (this.char("(")) {
      this.spaces();
      const query = this.orQuery();
      if (query !== null) {
        this.spaces();
        if (this.char(")")) {
          query.parens = (query.parens ?? 0) + 1;
          return query;
        }
      }
      this.pos = save;
    }
    return this.nestedQuery();
  }

  private nestedQuery(): KqlNode | null {
    const save = this.pos;
    const path = this.field();
    if (path !== null) {
      this.spaces();
      if (this.char(":")) {
        this.spaces();
        if (this.char("{")) {
          this.spaces();
          const query = this.orQuery();
          if (query !== null) {
            this.spaces();
            if (this.char("}")) return { type: "nested", path, query };
          }
        }
      }
    }
    this.pos = save;
    return this.rangeExpression() ?? this.fieldValueExpression() ?? this.valueExpression();
  }

  private rangeExpression(): KqlNode | null {
    const save = this.pos;
    const field = this.field();
    if (field !== null) {
      this.spaces();
      const op = this.rangeOperator();
      if (op !== null) {
        this.spaces();
        const value = this.named("literal", () => this.literal());
        if (value !== null) return { type: "range", field, op, value };
      }
    }
    this.pos = save;
    return null;
  }

  private rangeOperator(): KqlRangeOp | null {
    const two = this.src.slice(this.pos, this.pos + 2);
    const ops: [string, KqlRangeOp][] = [
      ["<=", "lte"],
      [">=", "gte"],
      ["<", "lt"],
      [">", "gt"],
    ];
    for (const [text, op] of ops) {
      if (two.startsWith(text)) {
        this.pos += text.length;
        return op;
      }
      this.fail(JSON.stringify(text));
    }
    return null;
  }

  private fieldValueExpression(): KqlNode | null {
    const save = this.pos;
    const field = this.field();
    if (field !== null) {
      this.spaces();
      if (this.char(":")) {
        this.spaces();
        const tree = this.listOfValues();
        if (tree !== null) {
          const node = distribute(tree, field, tree.parens > 0);
          if (tree.parens > 0) node.valueList = true;
          return node;
        }
      }
    }
    this.pos = save;
    return null;
  }

  private valueExpression(): KqlNode | null {
    const value = this.value();
    if (value === null) return null;
    return isLoneWildcard(value) ? { type: "matchAll" } : { type: "is", field: null, value };
  }

  private listOfValues(): ValueTree | null {
    const save = this.pos;
    if (this.char("(")) {
      this.spaces();
      const tree = this.orList();
      if (tree !== null) {
        this.spaces();
        if (this.char(")")) {
          tree.parens++;
          return tree;
        }
      }
      this.pos = save;
    }
    const value = this.value();
    return value === null ? null : { type: "value", value, parens: 0 };
  }

  private orList(): ValueTree | null {
    const items = this.sequence(
      () => this.andList(),
      () => this.binaryKeyword("or"),
    );
    return items === null ? null : items.length === 1 ? items[0] : { type: "or", children: items, parens: 0 };
  }

  private andList(): ValueTree | null {
    const items = this.sequence(
      () => this.notList(),
      () => this.binaryKeyword("and"),
    );
    return items === null ? null : items.length === 1 ? items[0] : { type: "and", children: items, parens: 0 };
  }

  private notList(): ValueTree | null {
    const save = this.pos;
    if (this.notKeyword()) {
      const child = this.listOfValues();
      if (child !== null) return { type: "not", child, parens: 0 };
      this.pos = save;
    }
    return this.listOfValues();
  }

  private field(): KqlLiteral | null {
    return this.named("fieldName", () => this.literal());
  }

  private value(): KqlLiteral | null {
    return this.named("value", () => this.literal());
  }

  private literal(): KqlLiteral | null {
    return this.src[this.pos] === '"' ? this.quotedString() : this.unquotedLiteral();
  }

  private quotedString(): KqlLiteral | null {
    const start = this.pos;
    const s = this.src;
    let i = start + 1;
    let text = "";
    while (i < s.length && s[i] !== '"') {
      if (s[i] === "\\") {
        const next = s[i + 1];
        const whitespace = next === "t" ? "\t" : next === "r" ? "\r" : next === "n" ? "\n" : undefined;
        if (whitespace !== undefined) {
          text += whitespace;
          i += 2;
          continue;
        }
        if (next === "u" && HEX.test(s.slice(i + 2, i + 6))) {
          text += String.fromCharCode(Number.parseInt(s.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        if (next === "\\" || next === '"') {
          text += next;
          i += 2;
          continue;
        }
        // Any other backslash is an ordinary character inside quotes.
      }
      text += s[i];
      i++;
    }
    if (i >= s.length) return null;
    this.pos = i + 1;
    return { value: text, quoted: true, offset: start, end: this.pos, raw: s.slice(start, this.pos) };
  }

  private unquotedLiteral(): KqlLiteral | null {
    const start = this.pos;
    const s = this.src;
    const chars: (string | typeof WILDCARD)[] = [];
    let i = start;
    while (i < s.length) {
      const ch = s[i];
      if (ch === "\\") {
        const escaped = this.escapeAt(i);
        if (escaped === null) break;
        chars.push(escaped.text);
        i += escaped.length;
      } else if (ch === "*") {
        chars.push(WILDCARD);
        i++;
      } else if (SPECIAL.has(ch) || this.keywordAhead(i)) {
        break;
      } else {
        chars.push(ch);
        i++;
      }
    }
    if (chars.length === 0) return null;
    this.pos = i;
    return buildUnquoted(chars, start, i, s.slice(start, i));
  }

  /** An escape in unquoted text, in Kibana's order: `\t \r \n`, special characters, `\uXXXX`, `\or \and \not`. */
  private escapeAt(i: number): { text: string; length: number } | null {
    const s = this.src;
    const next = s[i + 1];
    if (next === "t") return { text: "\t", length: 2 };
    if (next === "r") return { text: "\r", length: 2 };
    if (next === "n") return { text: "\n", length: 2 };
    if (next !== undefined && SPECIAL.has(next)) return { text: next, length: 2 };
    if (next === "u" && HEX.test(s.slice(i + 2, i + 6))) {
      return { text: String.fromCharCode(Number.parseInt(s.slice(i + 2, i + 6), 16)), length: 6 };
    }
    for (const word of ["or", "and", "not"]) {
      if (this.wordAt(i + 1, word)) return { text: s.slice(i + 1, i + 1 + word.length), length: 1 + word.length };
    }
    return null;
  }
}

/** Joins decoded characters, trims the sequence as Kibana does, and classifies it (wildcard, true/false/null, text). */
function buildUnquoted(chars: (string | typeof WILDCARD)[], offset: number, end: number, raw: string): KqlLiteral {
  const segments: string[] = [""];
  for (const ch of chars) {
    if (ch === WILDCARD) segments.push("");
    else segments[segments.length - 1] += ch;
  }
  segments[0] = segments[0].trimStart();
  segments[segments.length - 1] = segments[segments.length - 1].trimEnd();
  const base = { quoted: false, offset, end, raw };
  if (segments.length > 1) return { ...base, value: segments.join("*"), wildcard: segments };
  const text = segments[0];
  if (text === "null") return { ...base, value: null };
  if (text === "true") return { ...base, value: true };
  if (text === "false") return { ...base, value: false };
  return { ...base, value: text };
}

/** Distributes a field over a value list: `f:(a or not b)` becomes `f:a or not f:b`. */
function distribute(tree: ValueTree, field: KqlLiteral, inList: boolean): KqlNode {
  const node = distributeBare(tree, field, inList);
  if (tree.parens > 0) node.parens = (node.parens ?? 0) + tree.parens;
  if (inList) node.inList = true;
  return node;
}

function distributeBare(tree: ValueTree, field: KqlLiteral, inList: boolean): KqlNode {
  switch (tree.type) {
    case "and":
    case "or":
      return { type: tree.type, children: tree.children.map((child) => distribute(child, field, inList)) };
    case "not":
      return { type: "not", child: distribute(tree.child, field, inList) };
    case "value":
      return valueNode(field, tree.value);
  }
}

function valueNode(field: KqlLiteral, value: KqlLiteral): KqlNode {
  // Kibana reads the bare word null as a field literal with no name: the clause becomes free text.
  const named = field.value === null ? null : field;
  if (isLoneWildcard(value)) {
    if (named === null || isLoneWildcard(named)) return { type: "matchAll" };
    return { type: "exists", field: named };
  }
  return { type: "is", field: named, value };
}
