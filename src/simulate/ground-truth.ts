/** The labels a simulation writes to ground-truth.json: what happened, and what each built-in rule should make of it. */

/** Rule ids of the built-in rules the expectations refer to (Elastic's ids). */
export const RULE_IDS = {
  externalAsn: "ae32268b-bfd0-4c35-b002-13461b5830ca",
  lateralMovement: "a1b2c3d4-e5f6-4789-a0b1-c2d3e4f5a6b7",
} as const;

export interface Expectation {
  ruleId: string;
  caught: boolean;
  why: string;
}

export interface AttackTruth {
  id: string;
  kind: AttackKind;
  title: string;
  account: string;
  cluster: string;
  region: string;
  /** system:serviceaccount:<ns>:<sa> whose credentials were abused (for Pod Identity: the Kubernetes SA). */
  serviceAccount: string;
  accessKeys: string[];
  eventIds: string[];
  sourceIps: string[];
  start: string;
  end: string;
  expected: Expectation[];
}

export interface BenignTruth {
  id: string;
  kind: "irsa-workload" | "node-role" | "sso-engineers" | "github-oidc-ci" | "aws-service-roles";
  account: string;
  cluster?: string;
  /** user.name as the rules see it (IRSA subject), when there is one. */
  subject?: string;
  role?: string;
  description: string;
  /** Alerts the rules are expected to raise on this benign traffic, and why (false positives as written). */
  expectedAlerts: { ruleId: string; why: string }[];
}

export interface GroundTruth {
  generator: string;
  seed: string;
  start: string;
  end: string;
  accounts: string[];
  clusters: { name: string; account: string; region: string; natIps: string[]; oidcProvider: string }[];
  attacks: AttackTruth[];
  benign: BenignTruth[];
}

export const ATTACK_KINDS = [
  "outside-token-exchange",
  "in-cluster-compromise",
  "ec2-token-replay",
  "slow-attacker",
  "pod-identity",
] as const;
export type AttackKind = (typeof ATTACK_KINDS)[number];
