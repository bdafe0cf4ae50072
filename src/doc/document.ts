/**
 * A document is what Elasticsearch would hold as `_source`: nested JSON objects, arrays for multi-valued fields.
 * Every layer above `src/ecs` reads documents only through `fieldValues`, so dotted paths, arrays of objects and
 * literal dotted keys all resolve the way Elasticsearch flattens `_source` into fields.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type Document = { [key: string]: JsonValue };

/** A compiled reader for one dotted field path. Returns the leaf values (never null, arrays flattened). */
export type FieldReader = (doc: Document) => JsonValue[];

const readerCache = new Map<string, FieldReader>();

export function fieldReader(path: string): FieldReader {
  let reader = readerCache.get(path);
  if (!reader) {
    const keys = dottedKeys(path.split("."));
    reader = (doc) => {
      const out: JsonValue[] = [];
      collect(doc, keys, 0, out);
      return out;
    };
    readerCache.set(path, reader);
  }
  return reader;
}

/** All non-null leaf values of `path` in `doc`, in document order. */
export function fieldValues(doc: Document, path: string): JsonValue[] {
  return fieldReader(path)(doc);
}

/**
 * For each part i of a path, the keys that may hold what follows it: the part itself, then it joined with the next
 * parts ("a", "a.b", "a.b.c"), since Elasticsearch treats a literal dotted key like the nested path. Made once per
 * path, not once per document.
 */
function dottedKeys(parts: string[]): string[][] {
  return parts.map((_, i) => parts.slice(i).map((__, n) => parts.slice(i, i + n + 1).join(".")));
}

function collect(node: JsonValue, keys: string[][], i: number, out: JsonValue[]): void {
  if (node === null || node === undefined) return;
  if (Array.isArray(node)) {
    for (const item of node) collect(item, keys, i, out);
    return;
  }
  if (i === keys.length) {
    out.push(node);
    return;
  }
  if (typeof node !== "object") return;
  // Try the next part, then longer dotted keys ("a.b" stored literally).
  const candidates = keys[i];
  for (let n = 0; n < candidates.length; n++) {
    const key = candidates[n];
    if (Object.hasOwn(node, key)) collect((node as { [k: string]: JsonValue })[key], keys, i + n + 1, out);
  }
}

/** Sets a dotted path in a nested document, creating objects on the way. */
export function setField(doc: Document, path: string, value: JsonValue): void {
  setFieldParts(doc, path.split("."), value);
}

/** `setField` for a path already split into its parts (callers that set the same paths often split them once). */
export function setFieldParts(doc: Document, parts: readonly string[], value: JsonValue): void {
  let node: { [key: string]: JsonValue } = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = node[parts[i]];
    if (next === null || typeof next !== "object" || Array.isArray(next)) {
      const created: { [key: string]: JsonValue } = {};
      node[parts[i]] = created;
      node = created;
    } else {
      node = next;
    }
  }
  node[parts[parts.length - 1]] = value;
}

/** Every leaf path of a document with its values (arrays of scalars stay together), sorted by path. */
export function flattenDocument(doc: Document): Map<string, JsonValue[]> {
  const out = new Map<string, JsonValue[]>();
  const walk = (node: JsonValue, prefix: string): void => {
    if (node === null) return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item, prefix);
      return;
    }
    if (typeof node === "object") {
      for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
      return;
    }
    const list = out.get(prefix);
    if (list) list.push(node);
    else out.set(prefix, [node]);
  };
  walk(doc, "");
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
