/**
 * The ES|QL catalogs trailwatch offers: patterns matching one of our indices resolve to its mapping; other wildcard
 * patterns match no index and contribute nothing (as in Elasticsearch, where `FROM logs-a-*, logs-b-*` runs when only
 * one of them exists); a concrete index that does not exist stays an error. Dot-prefixed indices such as the alerts
 * index are hidden in Elasticsearch: a wildcard reaches them only when it starts with a dot itself.
 */
import { mapSchema, type Schema } from "../doc/schema.ts";
import type { Catalog } from "../lang/esql/index.ts";
import { indexPatternMatches } from "./index-patterns.ts";

const NO_FIELDS = mapSchema({});

/** Whether any of a query's FROM patterns reaches the index. */
export function readsIndex(sources: string[], index: string): boolean {
  return sources.some((s) => patternReaches(s, index));
}

function patternReaches(pattern: string, index: string): boolean {
  if (index.startsWith(".") && !pattern.trim().replace(/^[^:]*:/, "").startsWith(".")) return false;
  return indexPatternMatches([pattern], index);
}

export function cloudTrailCatalog(index: string, schema: Schema): Catalog {
  return indicesCatalog([[index, schema]]);
}

/** A catalog over several indices, e.g. CloudTrail and the alerts index for `trailwatch query`. */
export function indicesCatalog(indices: [string, Schema][]): Catalog {
  return {
    resolve: (pattern) => {
      const hit = indices.find(([index]) => patternReaches(pattern, index));
      if (hit) return hit[1];
      return pattern.includes("*") ? NO_FIELDS : undefined;
    },
  };
}
