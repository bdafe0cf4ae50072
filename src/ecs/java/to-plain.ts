/**
 * Java objects as Elasticsearch writes them back into `_source` (the flattened copies and `copy_from` values):
 * maps become objects, numbers become JSON numbers. Integers beyond 2^53 stay exact as digit strings, which is how
 * a flattened field indexes them anyway.
 */
import type { JsonValue } from "../../doc/document.ts";
import { JavaMap, JavaNumber, type JavaValue } from "./values.ts";

export function javaToPlain(value: JavaValue): JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (value instanceof JavaNumber) {
    const n = Number(value.text);
    return value.isDouble || Number.isSafeInteger(n) ? n : value.text === "-0" ? 0 : value.text;
  }
  if (Array.isArray(value)) return value.map(javaToPlain);
  const out: { [key: string]: JsonValue } = {};
  for (let i = 0; i < value.keys.length; i++) out[value.keys[i]] = javaToPlain(value.values[i]);
  return out;
}

/** `String.valueOf` / mustache rendering of a scalar, for values copied into keyword fields. */
export function javaScalarText(value: JavaValue): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  if (value instanceof JavaNumber) return value.isDouble ? String(Number(value.text)) : value.text;
  return undefined;
}

/** Follows a key path through nested maps. */
export function javaPath(value: JavaValue | undefined, ...keys: string[]): JavaValue | undefined {
  let node = value;
  for (const key of keys) {
    if (!(node instanceof JavaMap)) return undefined;
    node = node.get(key);
  }
  return node;
}
