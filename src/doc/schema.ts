/**
 * Field types as an Elasticsearch mapping declares them. The query languages consult a Schema to decide how a value
 * compares (keyword vs ip vs long vs date), which fields are constants of the index, and which values are too long
 * to be indexed (`ignore_above`). `src/ecs` provides the CloudTrail schema; `src/lang` only reads this interface.
 */
export type FieldType =
  | "keyword"
  | "constant_keyword"
  | "text"
  | "match_only_text"
  | "long"
  | "integer"
  | "double"
  | "float"
  | "date"
  | "ip"
  | "boolean"
  | "flattened"
  | "geo_point";

export interface FieldSpec {
  type: FieldType;
  /** keyword values longer than this (UTF-16 units... Elasticsearch counts characters) are not indexed. */
  ignoreAbove?: number;
  /** constant_keyword: the index-wide value, present for every document whether or not `_source` has it. */
  constant?: string;
}

export interface Schema {
  /** The spec of a concrete field path, or undefined when the index does not map it. */
  field(path: string): FieldSpec | undefined;
  /** Every mapped concrete field path (for wildcard field names and `KEEP *`). */
  fields(): string[];
  /**
   * The nearest `flattened` ancestor of a path (`aws.cloudtrail.flattened.request_parameters` for
   * `aws.cloudtrail.flattened.request_parameters.roleArn`), whose leaves are keyword strings.
   */
  flattenedRoot?(path: string): string | undefined;
}

export function mapSchema(specs: Record<string, FieldSpec>): Schema {
  const names = Object.keys(specs).sort();
  const flattenedRoots = names.filter((n) => specs[n].type === "flattened");
  return {
    field: (path) => specs[path],
    fields: () => names,
    flattenedRoot: (path) => flattenedRoots.find((root) => path.startsWith(`${root}.`)),
  };
}
