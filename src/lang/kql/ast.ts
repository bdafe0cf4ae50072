/**
 * The KQL syntax tree. It follows Kibana's grammar (`kbn-es-query` kuery grammar): value lists are distributed over
 * their field at parse time, as Kibana does, and a few syntax-only marks (`parens`, `valueList`, `inList`, `raw`) are
 * kept so that tools can report on how a query was written without re-parsing it.
 */

/** A field name or value as written. */
export interface KqlLiteral {
  /**
   * The decoded value: text with escapes resolved and outer whitespace trimmed, or `true` / `false` / `null` for those
   * bare unquoted words. For a wildcard, the text with `*` at each unescaped wildcard (see `wildcard`).
   */
  value: string | boolean | null;
  /** Written in double quotes: never a wildcard; a phrase on text fields. */
  quoted: boolean;
  /** Present for unquoted text with unescaped `*`: the literal text between the wildcards (length = wildcards + 1). */
  wildcard?: string[];
  /** Offsets of the literal in the query (end exclusive) and its source text. */
  offset: number;
  end: number;
  raw: string;
}

export type KqlRangeOp = "lt" | "lte" | "gt" | "gte";

/** Syntax marks shared by every node. */
interface KqlNodeMarks {
  /** How many pairs of parentheses enclose exactly this node. */
  parens?: number;
  /** The root of a value list `field:( … )` (also set for a single parenthesised value `field:(a)`). */
  valueList?: boolean;
  /** Produced from a value list (root included): the field was distributed over it. */
  inList?: boolean;
}

export type KqlNode =
  | (KqlNodeMarks & { type: "and"; children: KqlNode[] })
  | (KqlNodeMarks & { type: "or"; children: KqlNode[] })
  | (KqlNodeMarks & { type: "not"; child: KqlNode })
  /** `field:value`; `field` null is free text (any field). */
  | (KqlNodeMarks & { type: "is"; field: KqlLiteral | null; value: KqlLiteral })
  /** `field:*`: the field has an indexed value. */
  | (KqlNodeMarks & { type: "exists"; field: KqlLiteral })
  | (KqlNodeMarks & { type: "range"; field: KqlLiteral; op: KqlRangeOp; value: KqlLiteral })
  /** `path:{ query }`: the inner query's fields are relative to `path` and must match within one object of it. */
  | (KqlNodeMarks & { type: "nested"; path: KqlLiteral; query: KqlNode })
  /** The empty query, `*:*` and free-text `*`. */
  | (KqlNodeMarks & { type: "matchAll" });

/** The field name a literal spells (`null` only for the bare word null, which Kibana reads as "no field"). */
export function fieldName(field: KqlLiteral): string {
  return String(field.value);
}

/** A value made only of one unescaped `*`. `**` is not lone (Kibana sends it on as a wildcard query). */
export function isLoneWildcard(literal: KqlLiteral): boolean {
  return literal.wildcard !== undefined && literal.wildcard.length === 2 && literal.wildcard.every((s) => s === "");
}
