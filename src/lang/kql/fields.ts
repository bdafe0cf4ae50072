/**
 * How a field is read for a query: its kind (from the schema, as Elasticsearch's mapping decides how values are
 * indexed) and a compiled reader returning the values Elasticsearch would have indexed for a document.
 */
import { type Document, fieldReader, type JsonValue } from "../../doc/document.ts";
import type { Schema } from "../../doc/schema.ts";

export type FieldKind =
  | "keyword"
  | "constant"
  | "text"
  | "integer"
  | "double"
  | "float"
  | "date"
  | "ip"
  | "boolean"
  /** A leaf under a flattened field, or the flattened field itself (all its leaves): keyword strings. */
  | "flattened"
  /** Not in the schema: compared as Elasticsearch's dynamic mapping would index the JSON value. */
  | "dynamic"
  /** Mapped, but not searchable by value here (geo_point). */
  | "unsupported";

export type Scalar = string | number | boolean;

export interface FieldAccess {
  path: string;
  kind: FieldKind;
  /** The indexed scalar values of the field; string values beyond `ignore_above` are left out, as ES leaves them. */
  read: (doc: Document) => Scalar[];
}

export function resolveField(path: string, schema: Schema, readPath = path): FieldAccess {
  const spec = schema.field(path);
  if (spec?.type === "constant_keyword") {
    const values = spec.constant === undefined ? [] : [spec.constant];
    return { path, kind: "constant", read: () => values };
  }
  if (spec?.type === "flattened") {
    return { path, kind: "flattened", read: stringsOf(allLeaves(fieldReader(readPath)), spec.ignoreAbove) };
  }
  if (!spec) {
    const root = schema.flattenedRoot?.(path);
    if (root !== undefined) {
      return {
        path,
        kind: "flattened",
        read: stringsOf(scalars(fieldReader(readPath)), schema.field(root)?.ignoreAbove),
      };
    }
    return { path, kind: "dynamic", read: scalars(fieldReader(readPath)) };
  }
  const read = scalars(fieldReader(readPath));
  switch (spec.type) {
    case "keyword":
      return { path, kind: "keyword", read: stringsOf(read, spec.ignoreAbove) };
    case "text":
    case "match_only_text":
      return { path, kind: "text", read };
    case "long":
    case "integer":
      return { path, kind: "integer", read };
    case "double":
      return { path, kind: "double", read };
    case "float":
      return { path, kind: "float", read };
    case "date":
    case "ip":
    case "boolean":
      return { path, kind: spec.type, read };
    default:
      return { path, kind: "unsupported", read };
  }
}

function isScalar(value: JsonValue): value is Scalar {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

function scalars(reader: (doc: Document) => JsonValue[]): (doc: Document) => Scalar[] {
  return (doc) => reader(doc).filter(isScalar);
}

/** Every scalar under the values (a flattened field's leaves, at any depth). */
function allLeaves(reader: (doc: Document) => JsonValue[]): (doc: Document) => Scalar[] {
  const walk = (value: JsonValue, out: Scalar[]): void => {
    if (isScalar(value)) out.push(value);
    else if (Array.isArray(value)) for (const item of value) walk(item, out);
    else if (value !== null) for (const item of Object.values(value)) walk(item, out);
  };
  return (doc) => {
    const out: Scalar[] = [];
    for (const value of reader(doc)) walk(value, out);
    return out;
  };
}

/** Keyword-like fields index the text of any scalar (`true` → "true", `22` → "22"), up to `ignore_above` characters. */
function stringsOf(read: (doc: Document) => Scalar[], ignoreAbove: number | undefined): (doc: Document) => Scalar[] {
  const limit = ignoreAbove ?? Number.POSITIVE_INFINITY;
  return (doc) => {
    const out: Scalar[] = [];
    for (const value of read(doc)) {
      const text = typeof value === "string" ? value : String(value);
      if (text.length <= limit) out.push(text);
    }
    return out;
  };
}
