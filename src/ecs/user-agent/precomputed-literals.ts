/**
 * The required literals of uap-core's patterns, taken from required-literals.data.ts (written by
 * scripts/generate-uap-literals.ts) instead of analysing ≈ 1,200 regexes in every worker at start-up (≈ 100–250 ms).
 * The data is keyed by a hash of the patterns it was computed from; when the installed uap-core's patterns differ,
 * the literals are computed here at run time, so results never depend on the data being current.
 */
import { createHash } from "node:crypto";
import { patternsSha256, requiredLiteralsData } from "./required-literals.data.ts";
import { type RequiredLiterals, requiredLiterals } from "./required-literals.ts";

/** What the analysis of one pattern depends on. */
export interface PatternSyntax {
  readonly source: string;
  readonly caseInsensitive: boolean;
}

/** One pattern's literals in the data module: 0 for none, else [1 if folded else 0, ...allOf]. */
export type EncodedLiterals = 0 | readonly [0 | 1, ...(readonly string[])[]];

/** sha256 over every pattern's source and flag, in order: the key the data module is valid for. */
export function patternsKey(patterns: readonly PatternSyntax[]): string {
  const syntax = JSON.stringify(patterns.map((p) => [p.source, p.caseInsensitive]));
  return createHash("sha256").update(syntax).digest("hex");
}

export function encodeLiterals(literals: RequiredLiterals | undefined): EncodedLiterals {
  return literals === undefined ? 0 : [literals.folded ? 1 : 0, ...literals.allOf];
}

export function decodeLiterals(encoded: EncodedLiterals): RequiredLiterals | undefined {
  if (encoded === 0) return undefined;
  const [folded, ...allOf] = encoded;
  return { allOf: allOf.map((set) => [...set]), folded: folded === 1 };
}

/** The analysis itself, for each pattern (what the data module holds for its key). */
export function computeRequiredLiterals(patterns: readonly PatternSyntax[]): (RequiredLiterals | undefined)[] {
  return patterns.map((p) => requiredLiterals(p.source, p.caseInsensitive));
}

/** requiredLiterals of each pattern: from the data module when it was made for exactly these patterns. */
export function requiredLiteralsOf(patterns: readonly PatternSyntax[]): (RequiredLiterals | undefined)[] {
  if (patternsKey(patterns) !== patternsSha256) return computeRequiredLiterals(patterns);
  return requiredLiteralsData.map(decodeLiterals);
}
