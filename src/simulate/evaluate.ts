/**
 * Scores alerts against a simulation's ground truth: per rule, which attacks it caught or missed (and whether that
 * was expected), and which benign workloads raised alerts. Alerts are plain alert documents as `scan` returns them.
 */
import type { AttackTruth, BenignTruth, Expectation, GroundTruth } from "./ground-truth.ts";

export interface AttackOutcome {
  attack: AttackTruth;
  expectation?: Expectation;
  alerts: number;
  caught: boolean;
  asExpected: boolean;
}

export interface BenignOutcome {
  benign: BenignTruth;
  alerts: number;
  expected: boolean;
}

export interface RuleEvaluation {
  ruleId: string;
  ruleName: string;
  alerts: number;
  attacks: AttackOutcome[];
  benign: BenignOutcome[];
  /** Alerts matching nothing in the ground truth. */
  unattributed: number;
}

type Alert = Record<string, unknown>;

/** Values at a dotted path, whether the document stores it flat ("a.b": v) or nested ({a: {b: v}}). */
function valuesAt(doc: unknown, path: string): unknown[] {
  if (doc === null || typeof doc !== "object") return [];
  const obj = doc as Record<string, unknown>;
  const out: unknown[] = [];
  if (path in obj) out.push(...[obj[path]].flat());
  const dot = path.indexOf(".");
  for (let i = dot; i >= 0; i = path.indexOf(".", i + 1)) {
    const head = path.slice(0, i);
    if (head in obj) out.push(...valuesAt(obj[head], path.slice(i + 1)));
  }
  return out;
}

const strings = (alert: Alert, paths: string[]) => new Set(paths.flatMap((p) => valuesAt(alert, p)).map(String));

function attackOf(alert: Alert, truth: GroundTruth): AttackTruth | undefined {
  const keys = strings(alert, ["aws.cloudtrail.user_identity.access_key_id"]);
  const ids = strings(alert, ["event.id", "kibana.alert.original_event.id"]);
  return truth.attacks.find((a) => a.accessKeys.some((k) => keys.has(k)) || a.eventIds.some((id) => ids.has(id)));
}

function benignOf(alert: Alert, truth: GroundTruth): BenignTruth | undefined {
  const users = strings(alert, ["user.name", "Esql.user_name_values"]);
  const candidates = truth.benign.filter((b) => b.subject && users.has(b.subject));
  if (candidates.length <= 1) return candidates[0];
  // The same service account exists in every cluster; the role name tells them apart.
  const text = JSON.stringify(alert);
  return candidates.find((b) => b.role && text.includes(b.role)) ?? candidates[0];
}

export function evaluateAlerts(alerts: Alert[], truth: GroundTruth, rules: { id: string; name: string }[]): RuleEvaluation[] {
  return rules.map((rule) => {
    const mine = alerts.filter((a) => valuesAt(a, "kibana.alert.rule.rule_id").includes(rule.id));
    const perAttack = new Map<string, number>();
    const perBenign = new Map<string, number>();
    let unattributed = 0;
    for (const alert of mine) {
      const attack = attackOf(alert, truth);
      const benign = attack ? undefined : benignOf(alert, truth);
      if (attack) perAttack.set(attack.id, (perAttack.get(attack.id) ?? 0) + 1);
      else if (benign) perBenign.set(benign.id, (perBenign.get(benign.id) ?? 0) + 1);
      else unattributed++;
    }
    const attacks = truth.attacks.map((attack) => {
      const expectation = attack.expected.find((e) => e.ruleId === rule.id);
      const count = perAttack.get(attack.id) ?? 0;
      return { attack, expectation, alerts: count, caught: count > 0, asExpected: (expectation?.caught ?? false) === count > 0 };
    });
    const benign = truth.benign
      .filter((b) => perBenign.has(b.id) || b.expectedAlerts.some((e) => e.ruleId === rule.id))
      .map((b) => ({ benign: b, alerts: perBenign.get(b.id) ?? 0, expected: b.expectedAlerts.some((e) => e.ruleId === rule.id) }));
    return { ruleId: rule.id, ruleName: rule.name, alerts: mine.length, attacks, benign, unattributed };
  });
}
