export { type PlanResult, planRules, type RulePlan } from "./plans.ts";
export { RuleConfigError, type RuleOutcome, type ScanOptions, type ScanResult, type ScanStats, scan } from "./scan.ts";
export { type Execution, executionAt, tickAtOrAfter, windowTime } from "./schedule.ts";
