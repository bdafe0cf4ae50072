/**
 * A general comparer of CloudTrail record shapes: field paths and JSON types. Each path is compared within the
 * scope where CloudTrail defines it: the envelope (top-level fields, tlsDetails) is common to all records, the
 * userIdentity shape depends on the identity type, and requestParameters / responseElements / additionalEventData /
 * resources depend on the API (eventName).
 */
export type JsonType = "string" | "number" | "boolean" | "null" | "object" | "array";
/** scope key → path → JSON types seen. */
export type ShapeIndex = Map<string, Map<string, Set<JsonType>>>;

const PER_EVENT = ["requestParameters", "responseElements", "additionalEventData", "resources", "serviceEventDetails"];

export function jsonType(v: unknown): JsonType {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v as JsonType;
}

/** Every path in a value with its type; array elements share the path `name[]`. */
export function paths(value: unknown, prefix: string, out: [string, JsonType][]): [string, JsonType][] {
  out.push([prefix, jsonType(value)]);
  if (Array.isArray(value)) for (const v of value) paths(v, `${prefix}[]`, out);
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) paths(v, `${prefix}.${k}`, out);
  }
  return out;
}

export function scopeOf(record: Record<string, unknown>, path: string): string {
  const top = path.split(/[.[]/)[1];
  if (top === "userIdentity") {
    const identity = record.userIdentity as { type?: string } | null | undefined;
    return `identity:${identity?.type ?? "none"}`;
  }
  if (PER_EVENT.includes(top)) return `event:${String(record.eventName)}`;
  return "envelope";
}

export function indexShapes(records: Record<string, unknown>[]): ShapeIndex {
  const index: ShapeIndex = new Map();
  for (const r of records) {
    for (const [path, type] of paths(r, "$", [])) {
      if (path === "$") continue;
      const scope = scopeOf(r, path);
      let shape = index.get(scope);
      if (!shape) index.set(scope, (shape = new Map()));
      let types = shape.get(path);
      if (!types) shape.set(path, (types = new Set()));
      types.add(type);
    }
  }
  return index;
}

export interface ShapeDifference {
  eventName: string;
  path: string;
  problem: string;
}

/**
 * Compares generated records with real ones, for event names both have: every generated path must exist in the real
 * records of its scope with a type they use, and every top-level field all real records of that event name carry
 * must be in every generated one. Scopes the real data does not cover (an identity type it lacks) are not compared.
 */
export function compareShapes(real: Record<string, unknown>[], generated: Record<string, unknown>[]): ShapeDifference[] {
  const index = indexShapes(real);
  const realByName = new Map<string, Record<string, unknown>[]>();
  for (const r of real) {
    const name = String(r.eventName);
    realByName.set(name, [...(realByName.get(name) ?? []), r]);
  }
  const differences = new Map<string, ShapeDifference>();
  const note = (d: ShapeDifference) => differences.set(`${d.eventName} ${d.path} ${d.problem}`, d);
  for (const g of generated) {
    const eventName = String(g.eventName);
    const reals = realByName.get(eventName);
    if (!reals) continue;
    for (const [path, type] of paths(g, "$", [])) {
      if (path === "$") continue;
      const shape = index.get(scopeOf(g, path));
      if (!shape) continue;
      const types = shape.get(path);
      if (!types) note({ eventName, path, problem: "not in the real records" });
      else if (!types.has(type)) note({ eventName, path, problem: `${type} where real records have ${[...types].join("/")}` });
    }
    const always = Object.keys(reals[0]).filter((k) => reals.every((r) => k in r));
    for (const k of always) if (!(k in g)) note({ eventName, path: `$.${k}`, problem: "missing (every real record has it)" });
  }
  return [...differences.values()];
}
