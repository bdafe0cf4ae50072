/** The rules trailwatch runs when the user names none: Elastic's two IRSA rules. */

import type { Rule } from "../rule.ts";
import { parseRuleToml } from "../toml.ts";
import * as externalAsn from "./irsa-external-asn.ts";
import * as lateralMovement from "./irsa-lateral-movement.ts";

const BUILTIN = [lateralMovement, externalAsn];

/** Fresh objects on every call, so callers may change them freely. */
export function builtinRules(): Rule[] {
  return BUILTIN.map((rule) => parseRuleToml(rule.toml, `built-in:${rule.slug}`));
}
