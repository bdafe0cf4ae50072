/**
 * GROK: `%{SYNTAX:SEMANTIC[:type]}` expanded from the ECS-v1 bank plus Oniguruma named groups `(?<name>…)`, compiled
 * to RE2 and applied as an unanchored, leftmost search. Output columns come sorted by name, as in Elasticsearch.
 */
import { RE2JS } from "re2js";
import { GROK_PATTERNS } from "./grok-patterns.ts";
import type { DataType, Scalar, Value } from "./values.ts";

export interface GrokField {
  name: string;
  type: DataType;
}

export interface CompiledGrok {
  /** Output columns sorted by name. */
  fields: GrokField[];
  /** The captures of one input value, one list per field (in `fields` order); undefined when it does not match. */
  match(input: string): Scalar[][] | undefined;
}

interface Capture {
  group: string;
  field: number;
}

export class GrokError extends Error {}

export function compileGrok(pattern: string): CompiledGrok {
  const captures: { group: string; name: string; type: DataType }[] = [];
  const expand = (text: string, depth: number): string => {
    if (depth > 20) throw new GrokError("grok patterns nest too deeply");
    let out = "";
    let i = 0;
    while (i < text.length) {
      if (text[i] === "\\") {
        out += text.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (text.startsWith("%{", i)) {
        const close = text.indexOf("}", i);
        if (close < 0) throw new GrokError("unterminated %{ in grok pattern");
        const [syntax, semantic, typeName] = text.slice(i + 2, close).split(":");
        const body = GROK_PATTERNS[syntax];
        if (body === undefined) throw new GrokError(`Unable to find pattern [${syntax}] in Grok's pattern dictionary`);
        const inner = expand(body, depth + 1);
        if (semantic) {
          const group = `g${captures.length}`;
          const type: DataType = typeName === "int" ? "integer" : typeName === "float" ? "double" : "keyword";
          captures.push({ group, name: semantic, type });
          out += `(?P<${group}>${inner})`;
        } else out += `(?:${inner})`;
        i = close + 1;
        continue;
      }
      const named = /^\(\?<([A-Za-z_@][\w.@-]*)>/.exec(text.slice(i));
      if (named) {
        const group = `g${captures.length}`;
        captures.push({ group, name: named[1], type: "keyword" });
        out += `(?P<${group}>`;
        i += named[0].length;
        continue;
      }
      out += text[i++];
    }
    return out;
  };
  const source = expand(pattern, 0);
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(source);
  } catch (e) {
    throw new GrokError(`invalid grok pattern: ${(e as Error).message}`);
  }
  const names = [...new Set(captures.map((c) => c.name))].sort();
  const fields = names.map((name) => ({ name, type: captures.find((c) => c.name === name)!.type }));
  const byGroup: Capture[] = captures.map((c) => ({ group: c.group, field: names.indexOf(c.name) }));
  return {
    fields,
    match(input) {
      const m = regex.matcher(input);
      if (!m.find()) return undefined;
      const out: Scalar[][] = fields.map(() => []);
      for (const c of byGroup) {
        const text = m.group(c.group);
        if (text === null) continue;
        const type = fields[c.field].type;
        if (type === "keyword") out[c.field].push(text);
        else {
          const n = Number(text);
          if (!Number.isFinite(n)) return undefined;
          out[c.field].push(type === "integer" ? Math.trunc(n) : n);
        }
      }
      return out;
    },
  };
}

/** Applies a grok to a cell: every value of a multivalue in turn; no match anywhere gives nulls. */
export function grokCell(grok: CompiledGrok, input: Value): Value[] {
  const collected: Scalar[][] = grok.fields.map(() => []);
  if (input !== null) {
    for (const v of Array.isArray(input) ? input : [input]) {
      const m = grok.match(String(v));
      if (m) for (let i = 0; i < m.length; i++) collected[i].push(...m[i]);
    }
  }
  return collected.map((values) => (values.length === 0 ? null : values.length === 1 ? values[0] : values));
}
