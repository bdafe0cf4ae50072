/**
 * Elastic rule a1b2c3d4-e5f6-4789-a0b1-c2d3e4f5a6b7, version 1 (ES|QL): a Kubernetes service account's IRSA
 * credentials fanning out into several sensitive AWS actions on one session key.
 * Held as detection-rules TOML so the same loader parses it. The query is Elastic's, byte for byte; the investigation
 * guide and false-positive text are ours.
 */
export const slug = "lateral_movement_k8_assumed_web_identity_session_with_multi_phase_api_use";

export const toml = `[metadata]
creation_date = "2026/04/22"
integration = ["aws"]
maturity = "production"
updated_date = "2026/04/22"

[rule]
author = ["Elastic"]
description = """
Detects when credentials issued through \`AssumeRoleWithWebIdentity\` for a Kubernetes service account identity are later
used for several distinct AWS control-plane actions on the same session access key. Workloads that use EKS IAM Roles
for Service Accounts routinely exchange a projected service-account token for short-lived IAM credentials; this rule
highlights sessions where that exchange is followed by a spread of sensitive APIs—reconnaissance, secrets and parameter
access, IAM changes, or compute creation—beyond what routine pod traffic usually shows. High-volume S3 object reads and
writes are excluded from the correlation set to reduce noise from normal data-plane work.
"""
false_positives = [
    """
    Cluster automation (GitOps controllers, infrastructure operators, security scanners, backup jobs) can call several
    of these APIs with a single IRSA session. Check the service account in \`Esql.user_name_values\`, the workload that
    owns it, and whether \`Esql.source_ip_values\` and \`Esql.source_as_organization_name_values\` are the cluster's usual
    egress before tuning or allowlisting.
    """,
]
from = "now-24h"
interval = "1h"
language = "esql"
license = "Elastic License v2"
max_signals = 100
name = "AWS Lateral Movement from Kubernetes SA via AssumeRoleWithWebIdentity"
note = """## Triage and analysis

### Investigating AWS Lateral Movement from Kubernetes SA via AssumeRoleWithWebIdentity

Each alert summarises one session access key: the temporary credentials STS issued to a Kubernetes service account
through \`AssumeRoleWithWebIdentity\`, together with the sensitive API calls later signed with that key inside the
rule's 24-hour window. Work outward from the key.

### Triage steps

1. **The key.** \`aws.cloudtrail.user_identity.access_key_id\` is the temporary (\`ASIA…\`) key. Search raw CloudTrail for
   it twice: as \`aws.cloudtrail.user_identity.access_key_id\` (calls made with it) and inside
   \`aws.cloudtrail.response_elements\` (the STS call that issued it).
2. **Window and order.** \`Esql.first_seen\` and \`Esql.last_seen\` bound the session. Pull every record for the key
   between them and check that the \`AssumeRoleWithWebIdentity\` issuing it comes before the follow-on calls.
3. **Assume count and identity.** \`Esql.assume_count\` is the number of exchanges that issued this key (normally 1).
   \`Esql.user_name_values\` should hold a \`system:serviceaccount:<namespace>:<name>\` identity: the workload whose token
   was exchanged.
4. **Breadth and volume.** \`Esql.post_exploit_count\` counts distinct actions *including* the exchange itself, so 3
   means the exchange plus two other sensitive APIs. \`Esql.event_action_values\` lists them and \`Esql.attack_phases\`
   groups them (recon, credential_access, lateral_movement, persistence, defense_evasion; \`DescribeParameters\` and
   \`ListKeys\` belong to no phase). \`Esql.total_calls\` counts every matching call: a handful suggests a probe, hundreds
   sustained use. IAM writes, \`StopLogging\`/\`DeleteTrail\` and \`SendCommand\`/\`StartSession\` raise the urgency.
5. **Origin of the calls.** Compare \`Esql.source_ip_values\`, \`Esql.source_as_organization_name_values\` and
   \`Esql.user_agent_original_values\` with the cluster's known egress (NAT gateway addresses, VPC endpoints, proxies)
   and with the SDK the workload uses. Non-AWS networks, or a CLI or user agent the workload never sends, point to the
   token or the key being used off-cluster. \`Esql.cloud_account_id_values\` shows the accounts involved.

### Pivots

- The issuing \`AssumeRoleWithWebIdentity\` record: the role ARN (\`roleArn\` in the request parameters,
  \`aws.cloudtrail.resources.arn\`), the OIDC provider, and the token's \`sub\` and \`aud\` (subject, provider and audience in
  the response elements). Check the role's trust policy conditions on \`sub\` and \`aud\`.
- Kubernetes audit logs: map the service account to its namespace, pods and owning workload. Around \`Esql.first_seen\`,
  look for \`exec\`/\`attach\` into those pods, secret reads, token requests for the service account, new RBAC bindings,
  and new workloads that mount it.

### False positive analysis

- In-cluster operators and automation (GitOps, infrastructure controllers, scanners, backups) legitimately call several
  of these APIs in one session. Confirm the workload image, its schedule, and that the calls fit the intended scope of
  the IRSA role before tuning.
- A key that just reaches three distinct actions, with a low \`Esql.total_calls\` and only known egress, is less urgent
  than one that touched IAM or logging.

### Response and remediation

- If the activity is not explained: revoke the role's active sessions, tighten the trust policy (\`sub\`/\`aud\`
  conditions), rotate or rebuild the affected workload, reduce the permissions of the role and the service account,
  and review everything the key did, in particular IAM users, access keys, roles and policies it created.

### Note on column names

Elastic's published guide for this rule names \`Esql.source_asn_names\` and \`Esql.user_agent_values\`. The query emits no
such columns: AS organizations are in \`Esql.source_as_organization_name_values\` and user agents in
\`Esql.user_agent_original_values\`.
"""
references = [
    "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html",
    "https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html",
]
risk_score = 73
rule_id = "a1b2c3d4-e5f6-4789-a0b1-c2d3e4f5a6b7"
severity = "high"
tags = [
    "Domain: Cloud",
    "Data Source: AWS",
    "Data Source: Amazon Web Services",
    "Data Source: AWS CloudTrail",
    "Data Source: AWS IAM",
    "Data Source: AWS STS",
    "Use Case: Threat Detection",
    "Tactic: Lateral Movement",
    "Tactic: Discovery",
    "Tactic: Credential Access",
    "Resources: Investigation Guide",
]
timestamp_override = "event.ingested"
type = "esql"
version = 1

query = '''
FROM logs-aws.cloudtrail-*
| WHERE (event.action == "AssumeRoleWithWebIdentity" AND user.name like "system:serviceaccount:*")
  // S3 PutObject/GetObject is too  common in legit pod SA behavior 
  OR (event.action IN ("ListBuckets", "DescribeInstances", "GetCallerIdentity",
    "ListUsers", "ListRoles", "ListAttachedRolePolicies", "GetRolePolicy",
    "GetSecretValue", "ListSecrets",
    "GetParameters", "DescribeParameters", "ListKeys", "Decrypt",
    "ListFunctions", "GetAuthorizationToken",
    "SendCommand", "StartSession",
    "CreateUser", "CreateAccessKey", "AttachRolePolicy", "CreateRole",
    "PutRolePolicy", "UpdateAssumeRolePolicy",
    "UpdateFunctionCode", "UpdateFunctionConfiguration", "ModifyInstanceAttribute",
    "StopLogging", "DeleteTrail")
    AND aws.cloudtrail.user_identity.type == "AssumedRole")
| GROK aws.cloudtrail.response_elements "accessKeyId=%{NOTSPACE:issued_key_id},"
| EVAL access_key = COALESCE(issued_key_id, aws.cloudtrail.user_identity.access_key_id)
| EVAL is_assume = CASE(event.action == "AssumeRoleWithWebIdentity", 1, 0)
| EVAL is_post_exploit = CASE(event.action != "AssumeRoleWithWebIdentity", 1, 0)
| EVAL phase = CASE(
    event.action == "AssumeRoleWithWebIdentity", "initial_access",
    event.action IN ("ListBuckets", "DescribeInstances", "ListUsers", "ListRoles",
      "GetCallerIdentity", "ListAttachedRolePolicies", "GetRolePolicy",
      "ListFunctions"), "recon",
    event.action IN ("GetSecretValue", "ListSecrets", "GetParameters",
      "GetAuthorizationToken", "Decrypt"), "credential_access",
    event.action IN ("SendCommand", "StartSession"), "lateral_movement",
    event.action IN ("CreateUser", "CreateAccessKey", "AttachRolePolicy",
      "CreateRole", "PutRolePolicy", "UpdateAssumeRolePolicy",
      "UpdateFunctionCode", "UpdateFunctionConfiguration",
      "ModifyInstanceAttribute"), "persistence",
    event.action IN ("StopLogging", "DeleteTrail"), "defense_evasion"
  )
| STATS 
    Esql.assume_count = SUM(is_assume),
    Esql.post_exploit_count = COUNT_DISTINCT(event.action),
    Esql.attack_phases = VALUES(phase),
    Esql.event_action_values = VALUES(event.action),
    Esql.source_ip_values = VALUES(source.ip),
    Esql.source_as_organization_name_values = VALUES(source.as.organization.name),
    Esql.user_name_values = VALUES(user.name),
    Esql.user_agent_original_values = VALUES(user_agent.original),
    Esql.cloud_account_id_values = VALUES(cloud.account.id),
    Esql.data_stream_namespace_values = VALUES(data_stream.namespace),
    Esql.first_seen = MIN(@timestamp),
    Esql.last_seen = MAX(@timestamp),
    Esql.total_calls = COUNT(*)
  BY access_key
| WHERE access_key is not null and Esql.assume_count >= 1 AND Esql.post_exploit_count >= 3
| EVAL aws.cloudtrail.user_identity.access_key_id = MV_FIRST(access_key)
| KEEP aws.cloudtrail.user_identity.access_key_id, Esql.*
'''

[rule.investigation_fields]
field_names = [
    "aws.cloudtrail.user_identity.access_key_id",
    "Esql.assume_count",
    "Esql.post_exploit_count",
    "Esql.attack_phases",
    "Esql.event_action_values",
    "Esql.source_ip_values",
    "Esql.source_as_organization_name_values",
    "Esql.user_name_values",
    "Esql.user_agent_original_values",
    "Esql.first_seen",
    "Esql.last_seen",
    "Esql.total_calls",
]

[[rule.threat]]
framework = "MITRE ATT&CK"

[[rule.threat.technique]]
id = "T1550"
name = "Use Alternate Authentication Material"
reference = "https://attack.mitre.org/techniques/T1550/"

[[rule.threat.technique.subtechnique]]
id = "T1550.001"
name = "Application Access Token"
reference = "https://attack.mitre.org/techniques/T1550/001/"

[[rule.threat.technique]]
id = "T1021"
name = "Remote Services"
reference = "https://attack.mitre.org/techniques/T1021/"

[[rule.threat.technique.subtechnique]]
id = "T1021.007"
name = "Cloud Services"
reference = "https://attack.mitre.org/techniques/T1021/007/"

[rule.threat.tactic]
id = "TA0008"
name = "Lateral Movement"
reference = "https://attack.mitre.org/tactics/TA0008/"

[[rule.threat]]
framework = "MITRE ATT&CK"

[[rule.threat.technique]]
id = "T1526"
name = "Cloud Service Discovery"
reference = "https://attack.mitre.org/techniques/T1526/"

[rule.threat.tactic]
id = "TA0007"
name = "Discovery"
reference = "https://attack.mitre.org/tactics/TA0007/"

[[rule.threat]]
framework = "MITRE ATT&CK"

[[rule.threat.technique]]
id = "T1555"
name = "Credentials from Password Stores"
reference = "https://attack.mitre.org/techniques/T1555/"

[[rule.threat.technique.subtechnique]]
id = "T1555.006"
name = "Cloud Secrets Management Stores"
reference = "https://attack.mitre.org/techniques/T1555/006/"

[rule.threat.tactic]
id = "TA0006"
name = "Credential Access"
reference = "https://attack.mitre.org/tactics/TA0006/"
`;
