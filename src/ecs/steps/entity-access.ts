/**
 * What the entity script's Painless sees of the record: `$("json.a.b", default)` (the field API's path
 * resolution), property reads on list elements, and the casts that make Painless throw. The record is split in
 * two (plain JSON and the Java-ordered serialized fields), so reads look in both.
 */
import { javaDoubleToString } from "../java/double-to-string.ts";
import { JavaMap, JavaNumber } from "../java/values.ts";
import { pathParts } from "../path-parts.ts";
import { isPlainObject } from "../plain.ts";
import type { PipelineContext } from "./context.ts";

/** A Painless runtime error; the script's on_failure reports it as Elasticsearch does, "runtime error". */
export class PainlessRuntimeError extends Error {}

function isMap(v: unknown): boolean {
  return v instanceof JavaMap || isPlainObject(v);
}

function mapGet(map: unknown, key: string): { found: boolean; value: unknown } {
  if (map instanceof JavaMap) return { found: map.has(key), value: map.get(key) };
  if (isPlainObject(map)) return { found: Object.hasOwn(map, key), value: map[key] };
  return { found: false, value: undefined };
}

/** The record's top level: plain fields and the serialized ones (requestParameters, …) in one map. */
function rootGet(ctx: PipelineContext, key: string): { found: boolean; value: unknown } {
  const serialized = (ctx.serialized as Record<string, unknown>)[key];
  if (serialized !== undefined) return { found: true, value: serialized };
  return mapGet(ctx.json, key);
}

/**
 * `$(path, default)` with `path` relative to `json`: walk maps segment by segment; where a segment is not a map,
 * the rest of the path is tried as one flat key (SourceMapField.resolveDepthFlat). Lists are not walked into.
 */
export function lookup(ctx: PipelineContext, path: string, fallback: unknown = null): unknown {
  const segments = pathParts(path);
  let container: unknown;
  for (let i = 0; i < segments.length; i++) {
    const key = segments[i];
    const last = i === segments.length - 1;
    const hit = container === undefined ? rootGet(ctx, key) : mapGet(container, key);
    if (last) return hit.found ? hit.value : fallback;
    if (!isMap(hit.value)) {
      const rest = segments.slice(i).join(".");
      const flat = container === undefined ? rootGet(ctx, rest) : mapGet(container, rest);
      return flat.found ? flat.value : fallback;
    }
    container = hit.value;
  }
  return fallback;
}

/** `x.name` / `x?.name` on a def value: a map lookup; on a non-map Painless finds no getter and throws. */
export function property(value: unknown, name: string, nullSafe = false): unknown {
  if (value === null || value === undefined) {
    if (nullSafe) return null;
    throw new PainlessRuntimeError(`cannot access [${name}] of null`);
  }
  if (!isMap(value)) throw new PainlessRuntimeError(`dynamic getter [${name}] not found`);
  const hit = mapGet(value, name);
  return hit.found ? hit.value : null;
}

/** `.stream()` on a def value: only a List has it. */
export function asList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  throw new PainlessRuntimeError("dynamic method [stream/0] not found");
}

/** A def value passed where the script declares `String`: anything else is a ClassCastException. */
export function asString(value: unknown): string | null {
  if (value === null || value === undefined || typeof value === "string") return value ?? null;
  throw new PainlessRuntimeError("cannot cast to java.lang.String");
}

/** `String.valueOf(value)` of a JSON scalar. */
export function valueOf(value: unknown): string {
  if (value instanceof JavaNumber) return value.isDouble ? javaDoubleToString(Number(value.text)) : value.text;
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : javaDoubleToString(value);
  return String(value);
}
