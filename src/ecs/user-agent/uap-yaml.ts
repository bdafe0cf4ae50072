/**
 * Reads uap-core's regexes.yaml. The general YAML parser takes ≈ 0.4 s on this 6,000-line file, paid by every worker
 * at start-up; the file only ever uses one shape (top-level lists of maps whose values are single-quoted scalars), so
 * a line reader for exactly that shape does the job in milliseconds. Any line outside that shape sends the whole
 * file to the general parser, so a future uap-core layout still reads correctly, only slower. That parser is loaded
 * only then: importing it costs every worker ≈ 50 ms.
 */
import { createRequire } from "node:module";
import type YAML from "yaml";

export type UapEntry = { [key: string]: string };
export type UapYaml = Record<string, UapEntry[]>;

const LIST_KEY = /^([A-Za-z_][A-Za-z0-9_]*):\s*$/;
const ENTRY_FIELD = /^ {2}(- | {2})([A-Za-z_][A-Za-z0-9_]*): '((?:[^']|'')*)'\s*$/;
const BLANK_OR_COMMENT = /^\s*(#.*)?$/;

export function readUapYaml(text: string): UapYaml {
  return readSimpleShape(text) ?? (generalYaml().parse(text) as UapYaml);
}

function generalYaml(): typeof YAML {
  return createRequire(import.meta.url)("yaml") as typeof YAML;
}

/** The file in the one shape uap-core uses, or undefined when any line falls outside it. */
export function readSimpleShape(text: string): UapYaml | undefined {
  const out: UapYaml = {};
  let list: UapEntry[] | undefined;
  let entry: UapEntry | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (BLANK_OR_COMMENT.test(line)) continue;
    const listKey = LIST_KEY.exec(line);
    if (listKey) {
      if (Object.hasOwn(out, listKey[1])) return undefined;
      list = out[listKey[1]] = [];
      entry = undefined;
      continue;
    }
    const field = ENTRY_FIELD.exec(line);
    if (!field || list === undefined) return undefined;
    if (field[1] === "- ") {
      entry = {};
      list.push(entry);
    } else if (entry === undefined) {
      return undefined;
    }
    if (Object.hasOwn(entry, field[2])) return undefined;
    // In a single-quoted YAML scalar, '' is the only escape.
    entry[field[2]] = field[3].replaceAll("''", "'");
  }
  return out;
}
