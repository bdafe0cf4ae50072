export { ATTACK_KINDS, type AttackKind, type AttackTruth, type BenignTruth, type GroundTruth, RULE_IDS } from "./ground-truth.ts";
export { GROUND_TRUTH_FILE, type SimulateOptions, type SimulationResult, simulate } from "./simulate.ts";
export { AMAZON_EGRESS, AMAZON_IPV6, GITHUB_RUNNERS, OFFICE, TOR_EXITS, VPS, type AddressPool } from "./network.ts";

/** The default start of a simulation: fixed, so that the same seed gives the same archive on any day. */
export const DEFAULT_START = "2026-11-16T00:00:00Z";
