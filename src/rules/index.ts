export { builtinRules } from "./builtin/index.ts";
export { RuleLoadError } from "./errors.ts";
export { parseKibanaRules } from "./kibana.ts";
export { loadRules } from "./load.ts";
export type { Rule, Threat, ThreatEntry } from "./rule.ts";
export { parseDateMath, parseDuration } from "./time.ts";
export { parseRuleToml } from "./toml.ts";
