/**
 * DISSECT, following Elasticsearch's dissect parser: the pattern splits into `%{key}` fields and the literal
 * delimiters between them; matching walks the input left to right finding each delimiter in turn. Modifiers: `?name`
 * and empty keys are skipped, `+name` appends (APPEND_SEPARATOR, `/n` ordinal), `->` swallows repeated delimiters.
 */
import type { Scalar, Value } from "./values.ts";

interface DissectKey {
  name: string;
  skip: boolean;
  append: boolean;
  ordinal: number;
  rightPad: boolean;
  /** The literal text after this key, up to the next key (empty for the last key or adjacent keys). */
  delimiter: string;
}

export interface CompiledDissect {
  /** Output column names, in pattern order of first appearance. */
  fields: string[];
  match(input: string): string[] | undefined;
}

export class DissectError extends Error {}

export function compileDissect(pattern: string, appendSeparator = ""): CompiledDissect {
  const first = pattern.indexOf("%{");
  if (first < 0) throw new DissectError("Unable to parse pattern: no keys");
  const prefix = pattern.slice(0, first);
  const keys: DissectKey[] = [];
  const keyRe = /%\{([^}]*?)\}([^%]*)/gs;
  let m: RegExpExecArray | null;
  let expected = first;
  // biome-ignore lint/suspicious/noAssignInExpressions: the classic exec loop
  while ((m = keyRe.exec(pattern)) !== null) {
    if (m.index !== expected)
      throw new DissectError(`Unable to parse pattern near [${pattern.slice(expected, m.index)}]`);
    expected = m.index + m[0].length;
    keys.push(parseKey(m[1], m[2]));
  }
  if (expected !== pattern.length) throw new DissectError(`Unable to parse pattern near [${pattern.slice(expected)}]`);
  const fields: string[] = [];
  for (const k of keys) if (!k.skip && !fields.includes(k.name)) fields.push(k.name);
  if (fields.length === 0) throw new DissectError("Unable to parse pattern: every key is skipped");
  return {
    fields,
    match(input) {
      if (!input.startsWith(prefix)) return undefined;
      let at = prefix.length;
      const parts = new Map<string, { ordinal: number; value: string }[]>();
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        let value: string;
        if (i === keys.length - 1 && key.delimiter === "") {
          value = input.slice(at);
          at = input.length;
        } else if (key.delimiter === "") {
          value = "";
        } else {
          const found = input.indexOf(key.delimiter, at);
          if (found < 0) return undefined;
          value = input.slice(at, found);
          at = found + key.delimiter.length;
          if (key.rightPad) while (input.startsWith(key.delimiter, at)) at += key.delimiter.length;
        }
        if (key.skip) continue;
        const list = parts.get(key.name) ?? [];
        if (!key.append) list.length = 0;
        list.push({ ordinal: key.ordinal, value });
        parts.set(key.name, list);
      }
      if (keys[keys.length - 1].delimiter !== "" && at !== input.length) return undefined;
      return fields.map((name) => {
        const list = parts.get(name) ?? [];
        return [...list]
          .sort((a, b) => a.ordinal - b.ordinal)
          .map((p) => p.value)
          .join(appendSeparator);
      });
    },
  };
}

function parseKey(raw: string, delimiter: string): DissectKey {
  let name = raw;
  let rightPad = false;
  if (name.endsWith("->")) {
    rightPad = true;
    name = name.slice(0, -2);
  }
  let skip = name === "";
  let append = false;
  if (name.startsWith("?")) {
    skip = true;
    name = name.slice(1);
  } else if (name.startsWith("+")) {
    append = true;
    name = name.slice(1);
  } else if (name.startsWith("*") || name.startsWith("&")) {
    throw new DissectError(`reference keys [${raw}] are not supported by ES|QL DISSECT`);
  }
  let ordinal = 0;
  const slash = /\/(\d+)$/.exec(name);
  if (append && slash) {
    ordinal = Number(slash[1]);
    name = name.slice(0, slash.index);
  }
  return { name, skip, append, ordinal, rightPad, delimiter };
}

/** Dissects a cell; multivalued input is refused (nulls), like Elasticsearch's single-value DISSECT. */
export function dissectCell(dissect: CompiledDissect, input: Value, onMultivalue: () => void): Value[] {
  const none = dissect.fields.map(() => null);
  if (input === null) return none;
  if (Array.isArray(input)) {
    onMultivalue();
    return none;
  }
  const m = dissect.match(String(input as Scalar));
  return m ?? none;
}
