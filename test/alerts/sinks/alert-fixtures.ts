/** Alert documents shaped as src/alerts/build.ts makes them, with attacker-controlled strings in the event fields. */
import type { AlertDocument } from "../../../src/alerts/build.ts";

export function eventAlert(id: string, overrides: AlertDocument = {}): AlertDocument {
  return {
    "@timestamp": "2026-11-21T12:05:00.000Z",
    "event": { action: "AssumeRoleWithWebIdentity", kind: "signal" },
    "user": { name: "system:serviceaccount:prod:<!channel> & *bold*" },
    "source": { ip: "203.0.113.9", as: { organization: { name: "Evil <Hosting> & Co" } } },
    "aws": { cloudtrail: { user_identity: { arn: "arn:aws:sts::111111111111:assumed-role/app/`x`" } } },
    "kibana.alert.rule.name": "AWS AssumeRoleWithWebIdentity from Kubernetes SA and External ASN",
    "kibana.alert.rule.rule_id": "ae32268b-bfd0-4c35-b002-13461b5830ca",
    "kibana.alert.severity": "medium",
    "kibana.alert.uuid": id,
    "kibana.alert.original_time": "2026-11-21T12:01:02.000Z",
    "kibana.alert.reason": "event by system:serviceaccount:prod:<!channel> created medium alert",
    ...overrides,
  };
}

export function rowAlert(id: string): AlertDocument {
  return {
    "@timestamp": "2026-11-21T13:00:00.000Z",
    "aws.cloudtrail.user_identity.access_key_id": "ASIAEXAMPLEKEY",
    "Esql.user_name_values": ["system:serviceaccount:prod:app"],
    "Esql.source_ip_values": ["203.0.113.9", "198.51.100.7"],
    "Esql.event_action_values": ["GetSecretValue", "ListBuckets", "CreateAccessKey"],
    "Esql.post_exploit_count": 4,
    "Esql.first_seen": "2026-11-21T12:00:00.000Z",
    "Esql.last_seen": "2026-11-21T12:40:00.000Z",
    "event.kind": "signal",
    "kibana.alert.rule.name": "AWS Lateral Movement from Kubernetes SA via AssumeRoleWithWebIdentity",
    "kibana.alert.rule.rule_id": "a1b2c3d4-e5f6-4789-a0b1-c2d3e4f5a6b7",
    "kibana.alert.severity": "high",
    "kibana.alert.uuid": id,
  };
}
