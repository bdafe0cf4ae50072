/** Every scalar function trailwatch implements, by upper-case name. */
import { conversionFunctions } from "./conversions.ts";
import { dateFunctions } from "./dates.ts";
import { mathFunctions } from "./math.ts";
import { multivalueFunctions } from "./multivalue.ts";
import { stringFunctions } from "./strings.ts";
import type { FunctionDef } from "./types.ts";

export const scalarFunctions: Record<string, FunctionDef> = {
  ...stringFunctions,
  ...conversionFunctions,
  ...dateFunctions,
  ...mathFunctions,
  ...multivalueFunctions,
};
