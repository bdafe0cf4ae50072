/**
 * An on-demand scanner: the parser asks for the next token in the mode it needs (expressions, index patterns, column
 * patterns), because FROM and KEEP accept characters that are operators elsewhere. Comments are whitespace.
 */
import { QueryError } from "../errors.ts";

export type TokenType = "ident" | "number" | "string" | "op" | "eof";

export interface Token {
  type: TokenType;
  text: string;
  pos: number;
  end: number;
  /** ident: the name with backquotes removed; string: the unescaped value. */
  value: string;
  backquoted?: boolean;
  tripleQuoted?: boolean;
}

const OPERATORS = ["==", "!=", "<=", ">=", "::", "<", ">", "+", "-", "*", "/", "%", "(", ")", ",", "=", "|", "[", "]"];

export class Lexer {
  pos = 0;
  constructor(readonly source: string) {}

  error(detail: string, offset: number): QueryError {
    return new QueryError("esql", "parse", detail, this.source, offset);
  }

  skipTrivia(): void {
    const s = this.source;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === " " || c === "\t" || c === "\n" || c === "\r") this.pos++;
      else if (c === "/" && s[this.pos + 1] === "/") {
        const nl = s.indexOf("\n", this.pos);
        this.pos = nl < 0 ? s.length : nl + 1;
      } else if (c === "/" && s[this.pos + 1] === "*") {
        const close = s.indexOf("*/", this.pos + 2);
        if (close < 0) throw this.error("unterminated comment", this.pos);
        this.pos = close + 2;
      } else break;
    }
  }

  peek(): Token {
    const save = this.pos;
    const token = this.next();
    this.pos = save;
    return token;
  }

  next(): Token {
    this.skipTrivia();
    const s = this.source;
    const start = this.pos;
    if (start >= s.length) return { type: "eof", text: "", value: "", pos: start, end: start };
    const c = s[start];
    if (c === '"') return this.readString();
    if (isDigit(c) || (c === "." && isDigit(s[start + 1] ?? ""))) return this.readNumber();
    if (isIdentStart(c) || c === "`") return this.readIdentifier(false);
    for (const op of OPERATORS) {
      if (s.startsWith(op, start)) {
        this.pos = start + op.length;
        return { type: "op", text: op, value: op, pos: start, end: this.pos };
      }
    }
    throw this.error(`token recognition error at: '${c}'`, start);
  }

  private readString(): Token {
    const s = this.source;
    const start = this.pos;
    if (s.startsWith('"""', start)) {
      const close = s.indexOf('"""', start + 3);
      if (close < 0) throw this.error("unterminated triple-quoted string", start);
      // A closing run of more than three quotes keeps the extra quotes in the value.
      let end = close + 3;
      while (s[end] === '"') end++;
      this.pos = end;
      const value = s.slice(start + 3, end - 3);
      return { type: "string", text: s.slice(start, end), value, pos: start, end, tripleQuoted: true };
    }
    let value = "";
    let i = start + 1;
    while (i < s.length && s[i] !== '"') {
      if (s[i] === "\\") {
        const e = s[i + 1];
        const map: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
        if (e === undefined || !(e in map)) throw this.error(`invalid escape sequence [\\${e ?? ""}]`, i);
        value += map[e];
        i += 2;
      } else if (s[i] === "\n" || s[i] === "\r") {
        throw this.error("newline in a quoted string; use a triple-quoted string", i);
      } else value += s[i++];
    }
    if (i >= s.length) throw this.error("unterminated string", start);
    this.pos = i + 1;
    return { type: "string", text: s.slice(start, this.pos), value, pos: start, end: this.pos };
  }

  private readNumber(): Token {
    const m = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(this.source.slice(this.pos));
    const text = m![0];
    const start = this.pos;
    this.pos += text.length;
    return { type: "number", text, value: text, pos: start, end: this.pos };
  }

  /** A dotted name; with `allowWildcard`, `*` may appear in unquoted parts (KEEP, DROP, RENAME patterns). */
  readIdentifier(allowWildcard: boolean): Token {
    const s = this.source;
    const start = this.pos;
    let value = "";
    let backquoted = false;
    for (;;) {
      if (s[this.pos] === "`") {
        backquoted = true;
        let i = this.pos + 1;
        for (;;) {
          if (i >= s.length) throw this.error("unterminated quoted identifier", this.pos);
          if (s[i] === "`") {
            if (s[i + 1] === "`") {
              value += "`";
              i += 2;
              continue;
            }
            break;
          }
          value += s[i++];
        }
        this.pos = i + 1;
      } else {
        const partStart = this.pos;
        while (
          this.pos < s.length &&
          (isIdentPart(s[this.pos]) ||
            (allowWildcard && s[this.pos] === "*") ||
            (this.pos === partStart && s[this.pos] === "@"))
        )
          this.pos++;
        if (this.pos === partStart) throw this.error(`expected an identifier at '${s[this.pos] ?? "<EOF>"}'`, this.pos);
        value += s.slice(partStart, this.pos);
      }
      const after = s[this.pos + 1] ?? "";
      if (
        s[this.pos] === "." &&
        (isIdentStart(after) || after === "`" || isDigit(after) || (allowWildcard && after === "*"))
      ) {
        value += ".";
        this.pos++;
        continue;
      }
      break;
    }
    return { type: "ident", text: s.slice(start, this.pos), value, pos: start, end: this.pos, backquoted };
  }

  /** An index pattern in FROM: a quoted string or a run of characters up to whitespace, comma or pipe. */
  readIndexPattern(): Token {
    this.skipTrivia();
    const s = this.source;
    const start = this.pos;
    if (s[start] === '"') return this.readString();
    while (
      this.pos < s.length &&
      !/[\s,|]/.test(s[this.pos]) &&
      !s.startsWith("/*", this.pos) &&
      !s.startsWith("//", this.pos)
    )
      this.pos++;
    if (this.pos === start) throw this.error(`expected an index pattern at '${s[start] ?? "<EOF>"}'`, start);
    const text = s.slice(start, this.pos);
    return { type: "ident", text, value: text, pos: start, end: this.pos };
  }

  readNamePattern(): Token {
    this.skipTrivia();
    const c = this.source[this.pos] ?? "";
    if (!(isIdentStart(c) || c === "`" || c === "*"))
      throw this.error(`expected a column name at '${c || "<EOF>"}'`, this.pos);
    return this.readIdentifier(true);
  }
}

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}
function isIdentStart(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_" || c === "@";
}
function isIdentPart(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_" || isDigit(c);
}
