/** Helpers over the JSON.parse'd part of a record (plain JS values), with the pipeline's field-path semantics. */
import type { JsonValue } from "../doc/document.ts";
import type { PlainObject } from "./record-reader.ts";

export function isPlainObject(v: unknown): v is PlainObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The value at a dotted path of objects, or undefined when the path does not resolve (as `hasField` sees it). */
export function plainGet(root: unknown, ...keys: string[]): unknown {
  let node = root;
  for (const key of keys) {
    if (!isPlainObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** Removes and returns the value at a path (a `rename` source). */
export function plainTake(root: unknown, ...keys: string[]): JsonValue | undefined {
  return plainTakePath(root, keys);
}

/** plainTake with the path as one array (no copies on the hot path). */
export function plainTakePath(root: unknown, keys: readonly string[]): JsonValue | undefined {
  let parent = root;
  const lastIndex = keys.length - 1;
  for (let i = 0; i < lastIndex; i++) {
    if (!isPlainObject(parent)) return undefined;
    parent = parent[keys[i]];
  }
  if (!isPlainObject(parent)) return undefined;
  const last = keys[lastIndex];
  if (!Object.hasOwn(parent, last)) return undefined;
  const value = parent[last] as JsonValue;
  delete parent[last];
  return value;
}

/** The first remove-nulls pass on plain values: drop null, "", "-", "none" and emptied objects/arrays. */
export function prunePlain(v: unknown, keepDashNone = false): boolean {
  if (Array.isArray(v)) {
    let w = 0;
    for (let r = 0; r < v.length; r++) if (!prunePlain(v[r], keepDashNone)) v[w++] = v[r];
    v.length = w;
    return w === 0;
  }
  if (isPlainObject(v)) {
    let size = 0;
    for (const key in v) {
      if (prunePlain(v[key], keepDashNone)) delete v[key];
      else size++;
    }
    return size === 0;
  }
  return v === null || v === undefined || v === "" || (!keepDashNone && (v === "-" || v === "none"));
}

/** Elasticsearch's `{{ }}` mustache escaping (JSON string escaping); `{{{ }}}` renders raw. */
export function mustacheEscaped(text: string): string {
  const quoted = JSON.stringify(text);
  return quoted.slice(1, -1);
}

/** How a painless/mustache template renders a scalar copied into a keyword. */
export function scalarText(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}
