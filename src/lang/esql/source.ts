/**
 * Reading a column from a source document as Elasticsearch's ES|QL would from the index: values converted to the
 * mapped type, multivalues ordered as doc values store them (keyword and ip sorted and de-duplicated, numbers and
 * dates sorted), keyword values beyond `ignore_above` missing (they are not indexed), constant_keyword always present.
 */
import { type Document, fieldReader, type JsonValue } from "../../doc/document.ts";
import type { FieldSpec, FieldType, Schema } from "../../doc/schema.ts";
import { compareScalars, type DataType, parseDate, type Scalar, type Value } from "./values.ts";

export function esqlType(type: FieldType): DataType {
  switch (type) {
    case "keyword":
    case "constant_keyword":
      return "keyword";
    case "text":
    case "match_only_text":
      return "text";
    case "long":
      return "long";
    case "integer":
      return "integer";
    case "double":
    case "float":
      return "double";
    case "date":
      return "date";
    case "ip":
      return "ip";
    case "boolean":
      return "boolean";
    case "geo_point":
      return "geo_point";
    default:
      return "unsupported";
  }
}

function convert(v: JsonValue, type: DataType): Scalar | undefined {
  if (type === "geo_point" && v !== null && typeof v === "object" && !Array.isArray(v)) return geoPointWkt(v);
  if (v === null || typeof v === "object") return undefined;
  switch (type) {
    case "keyword":
    case "text":
    case "ip":
    case "geo_point":
      return String(v);
    case "long":
    case "integer":
    case "double": {
      const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
      if (!Number.isFinite(n)) return undefined;
      return type === "double" ? n : Math.trunc(n);
    }
    case "date":
      return parseDate(v as Scalar) ?? undefined;
    case "boolean":
      if (typeof v === "boolean") return v;
      if (v === "true") return true;
      if (v === "false") return false;
      return undefined;
    default:
      return undefined;
  }
}

/** ES|QL shows a geo_point as WKT, longitude first: `{lat: 41.1, lon: -71.3}` reads as `POINT (-71.3 41.1)`. */
function geoPointWkt(point: { [key: string]: JsonValue }): string | undefined {
  const { lat, lon } = point;
  return typeof lat === "number" && typeof lon === "number" ? `POINT (${lon} ${lat})` : undefined;
}

export type SourceReader = (doc: Document) => Value;

export function sourceReader(path: string, spec: FieldSpec): SourceReader {
  const read = fieldReader(path);
  const type = esqlType(spec.type);
  const sortedSet = type === "keyword" || type === "ip";
  const sorted =
    sortedSet || type === "long" || type === "integer" || type === "double" || type === "date" || type === "boolean";
  return (doc) => {
    const raw = read(doc);
    const values: Scalar[] = [];
    for (const r of raw) {
      const v = convert(r, type);
      if (v === undefined) continue;
      if (spec.ignoreAbove !== undefined && typeof v === "string" && [...v].length > spec.ignoreAbove) continue;
      values.push(v);
    }
    if (values.length === 0) return spec.constant ?? null;
    if (values.length === 1) return values[0];
    if (sorted) values.sort((a, b) => compareScalars(a, b, type));
    const out = sortedSet ? values.filter((v, i) => i === 0 || v !== values[i - 1]) : values;
    return out.length === 1 ? out[0] : out;
  };
}

/** The union of the schemas behind a FROM; a field mapped with different types becomes unsupported, as in ES. */
export function mergeSchemas(schemas: Schema[]): Map<string, FieldSpec> {
  const out = new Map<string, FieldSpec>();
  for (const schema of schemas) {
    for (const name of schema.fields()) {
      const spec = schema.field(name);
      if (!spec) continue;
      const prior = out.get(name);
      if (!prior) out.set(name, spec);
      else if (esqlType(prior.type) !== esqlType(spec.type)) out.set(name, { type: "flattened" });
    }
  }
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
