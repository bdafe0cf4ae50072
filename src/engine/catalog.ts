/**
 * The ES|QL catalog trailwatch offers: patterns matching our CloudTrail index resolve to its mapping; other wildcard
 * patterns match no index and contribute nothing (as in Elasticsearch, where `FROM logs-a-*, logs-b-*` runs when only
 * one of them exists); a concrete index that does not exist stays an error.
 */
import { mapSchema, type Schema } from "../doc/schema.ts";
import type { Catalog } from "../lang/esql/index.ts";
import { indexPatternMatches } from "./index-patterns.ts";

const NO_FIELDS = mapSchema({});

/** Whether any of a query's FROM patterns reaches the CloudTrail index. */
export function readsIndex(sources: string[], index: string): boolean {
  return sources.some((s) => indexPatternMatches([s], index));
}

export function cloudTrailCatalog(index: string, schema: Schema): Catalog {
  return {
    resolve: (pattern) => {
      if (indexPatternMatches([pattern], index)) return schema;
      return pattern.includes("*") ? NO_FIELDS : undefined;
    },
  };
}
