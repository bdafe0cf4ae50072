/**
 * LIKE wildcards and Lucene regular expressions (RLIKE) translated to RE2 syntax, so matching runs in linear time
 * on any value an attacker can put in a log record.
 */
import { RE2JS } from "re2js";

const RE2_SPECIAL = new Set("\\.+*?()|[]{}^$".split(""));
const quoteChar = (c: string): string => (RE2_SPECIAL.has(c) ? `\\${c}` : c);

/** LIKE: `*` any run, `?` one character, `\` escapes the next; everything else literal; whole value. */
export function likeToRe2(pattern: string): string {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\" && i + 1 < pattern.length) out += quoteChar(pattern[++i]);
    else if (c === "*") out += ".*";
    else if (c === "?") out += ".";
    else out += quoteChar(c);
  }
  return out;
}

/**
 * Lucene regexp syntax (all optional features on, as Elasticsearch's regexp matching uses): `@` any string,
 * `#` the empty language, `<n-m>` numeric ranges, `"…"` literal strings; `^`/`$` are ordinary characters.
 * Intersection `&` and complement `~` have no RE2 equivalent and are refused.
 */
export function luceneToRe2(pattern: string): string {
  let out = "";
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "\\") {
      if (i + 1 >= pattern.length) throw new Error("trailing backslash");
      const next = pattern[i + 1];
      // Lucene accepts the \d \s \w classes; any other escaped character is itself.
      out += "dDsSwW".includes(next) ? `\\${next}` : quoteChar(next);
      i += 2;
    } else if (c === '"') {
      const close = pattern.indexOf('"', i + 1);
      if (close < 0) throw new Error("unterminated quoted string");
      out += `(?:${[...pattern.slice(i + 1, close)].map(quoteChar).join("")})`;
      i = close + 1;
    } else if (c === "[") {
      const { re2, end } = translateClass(pattern, i);
      out += re2;
      i = end;
    } else if (c === "@") {
      out += "(?:.*)";
      i++;
    } else if (c === "#") {
      out += "[^\\x00-\\x{10FFFF}]";
      i++;
    } else if (c === "<") {
      const m = /^<(\d+)-(\d+)>/.exec(pattern.slice(i));
      if (!m) {
        out += "<";
        i++;
        continue;
      }
      out += numericRange(Number(m[1]), Number(m[2]));
      i += m[0].length;
    } else if (c === "&" || c === "~") {
      throw new Error(`the operator [${c}] is not supported`);
    } else if (c === "^" || c === "$") {
      out += `\\${c}`;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function translateClass(pattern: string, start: number): { re2: string; end: number } {
  let i = start + 1;
  let out = "[";
  if (pattern[i] === "^") {
    out += "^";
    i++;
  }
  let first = true;
  while (i < pattern.length && (pattern[i] !== "]" || first)) {
    const c = pattern[i];
    first = false;
    if (c === "\\" && i + 1 < pattern.length) {
      const next = pattern[i + 1];
      out += "dDsSwW".includes(next) ? `\\${next}` : /[A-Za-z0-9]/.test(next) ? next : `\\${next}`;
      i += 2;
    } else {
      out += c === "[" || c === "^" ? `\\${c}` : c;
      i++;
    }
  }
  if (i >= pattern.length) throw new Error("unterminated character class");
  return { re2: `${out}]`, end: i + 1 };
}

/** Decimal numbers from `lo` to `hi` (leading zeros allowed as in Lucene), as alternation. */
function numericRange(lo: number, hi: number): string {
  if (hi - lo > 10_000) throw new Error("numeric interval too wide");
  const options: string[] = [];
  for (let n = lo; n <= hi; n++) options.push(String(n));
  return `(?:0*(?:${options.join("|")}))`;
}

const cache = new Map<string, RE2JS>();

/** Compiles an RE2 expression that must match the whole value (`.` matches newlines too, like Lucene). */
export function compileWhole(re2: string): RE2JS {
  const key = re2;
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = RE2JS.compile(`(?s)${re2}`);
    cache.set(key, compiled);
  }
  return compiled;
}
