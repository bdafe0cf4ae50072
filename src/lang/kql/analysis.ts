/** Static facts about a parsed query, for the engine (pre-filters) and for tooling. */
import type { Schema } from "../../doc/schema.ts";
import { fieldName, type KqlNode } from "./ast.ts";

/** The field names a query refers to, in first-use order (nested fields with their full path; patterns as written). */
export function kqlFields(node: KqlNode): string[] {
  const out = new Set<string>();
  const walk = (n: KqlNode, prefix: string): void => {
    switch (n.type) {
      case "and":
      case "or":
        for (const child of n.children) walk(child, prefix);
        return;
      case "not":
        walk(n.child, prefix);
        return;
      case "is":
        if (n.field) out.add(prefix + fieldName(n.field));
        return;
      case "exists":
      case "range":
        out.add(prefix + fieldName(n.field));
        return;
      case "nested":
        out.add(prefix + fieldName(n.path));
        walk(n.query, `${prefix}${fieldName(n.path)}.`);
        return;
      case "matchAll":
        return;
    }
  };
  walk(node, "");
  return [...out];
}

/**
 * For a query that is a conjunction, the literal values each field must take: a document can match only if, for each
 * field in the map, one of its values (`String(value)` for non-strings) is in the list. Derived from conjuncts
 * `field:value` and `field:(a or b …)` with exact (quoted or unquoted, non-wildcard) values; several conjuncts on a
 * field intersect. Undefined when no conjunct qualifies.
 *
 * Equality here is keyword equality. With a schema, only fields compared that way qualify (keyword and flattened
 * leaves; not constant_keyword, which documents may omit, nor numbers, IPs, dates, booleans or text); without one, the
 * caller vouches that the fields are keywords.
 */
export function kqlRequiredValues(node: KqlNode, schema?: Schema): Map<string, string[]> | undefined {
  const qualifies = (field: string): boolean => {
    if (!schema) return true;
    const spec = schema.field(field);
    if (spec) return spec.type === "keyword";
    return schema.flattenedRoot?.(field) !== undefined;
  };
  const out = new Map<string, string[]>();
  for (const conjunct of conjuncts(node)) {
    const allowed = allowedValues(conjunct);
    if (!allowed || !qualifies(allowed.field)) continue;
    const previous = out.get(allowed.field);
    out.set(allowed.field, previous ? previous.filter((v) => allowed.values.includes(v)) : allowed.values);
  }
  return out.size > 0 ? out : undefined;
}

function conjuncts(node: KqlNode): KqlNode[] {
  return node.type === "and" ? node.children.flatMap(conjuncts) : [node];
}

/** `f:v` or an `or` of such clauses on one field. */
function allowedValues(node: KqlNode): { field: string; values: string[] } | undefined {
  if (node.type === "is") {
    const { field, value } = node;
    if (!field || field.wildcard || value.wildcard || value.value === null) return undefined;
    return { field: fieldName(field), values: [String(value.value)] };
  }
  if (node.type === "or") {
    const parts = node.children.map(allowedValues);
    const first = parts[0];
    if (!first || parts.some((p) => !p || p.field !== first.field)) return undefined;
    return { field: first.field, values: [...new Set(parts.flatMap((p) => p?.values ?? []))] };
  }
  return undefined;
}
