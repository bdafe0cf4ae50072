/**
 * What a record must contain for a rule to be able to select it, derived from the rule's query: exact values of
 * fields combined with and/or. A requirement is a necessary condition only: weakening it (dropping a conjunct) is
 * always safe, and a rule whose selection cannot be expressed has no requirement at all.
 */
export type Requirement =
  | { kind: "values"; field: string; values: string[] }
  | { kind: "and"; parts: Requirement[] }
  | { kind: "or"; parts: Requirement[] };

/** Conjunction of what could be derived; undefined if nothing could. */
export function allOf(parts: (Requirement | undefined)[]): Requirement | undefined {
  const known = parts.filter((p): p is Requirement => p !== undefined);
  if (known.length <= 1) return known[0];
  return { kind: "and", parts: known };
}

/** Disjunction: derivable only if every branch is. */
export function anyOf(parts: (Requirement | undefined)[]): Requirement | undefined {
  if (parts.length === 0 || parts.some((p) => p === undefined)) return undefined;
  const known = parts as Requirement[];
  return known.length === 1 ? known[0] : { kind: "or", parts: known };
}

export type ValuesRequirement = Extract<Requirement, { kind: "values" }>;

/** Keeps only the value tests `usable` accepts; an `or` with an unusable branch becomes underivable. */
export function restrict(
  req: Requirement | undefined,
  usable: (values: ValuesRequirement) => boolean,
): Requirement | undefined {
  if (!req) return undefined;
  switch (req.kind) {
    case "values":
      return usable(req) ? req : undefined;
    case "and":
      return allOf(req.parts.map((p) => restrict(p, usable)));
    case "or":
      return anyOf(req.parts.map((p) => restrict(p, usable)));
  }
}
