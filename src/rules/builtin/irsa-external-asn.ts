/**
 * Elastic rule ae32268b-bfd0-4c35-b002-13461b5830ca, version 1 (KQL): a Kubernetes service-account token exchanged
 * for AWS credentials from a network whose AS organization is not Amazon's.
 * Held as detection-rules TOML so the same loader parses it. The query is Elastic's, byte for byte; the investigation
 * guide and false-positive text are ours.
 */
export const slug = "initial_access_assume_role_with_web_identity_kubernetes_sa_from_external_asn";

export const toml = `[metadata]
creation_date = "2026/04/22"
integration = ["aws"]
maturity = "production"
updated_date = "2026/04/22"

[rule]
author = ["Elastic"]
description = """
Detects successful \`AssumeRoleWithWebIdentity\` where the caller identity is a Kubernetes service account and the source 
autonomous system organization is present but not \`Amazon.com, Inc.\` EKS workloads that obtain IAM credentials via IAM Roles 
for Service Accounts (IRSA) normally reach STS from AWS-managed or AWS-associated networks; the same identity from a clearly 
external ASN can indicate a stolen or misused projected service-account token being exchanged for IAM credentials off-cluster.
"""
false_positives = [
    """
    Legitimate exchanges can reach STS through corporate proxies, VPNs, third-party security gateways or non-AWS NAT
    providers, whose AS organization is not Amazon's. Some AWS address ranges are also labelled with organization names
    that do not begin with \`Amazon\` or \`AMAZON\`. Tune with the approved organizations, CIDRs or service accounts.
    """,
]
from = "now-6m"
index = ["filebeat-*", "logs-aws.cloudtrail-*"]
interval = "5m"
language = "kuery"
license = "Elastic License v2"
max_signals = 100
name = "AWS AssumeRoleWithWebIdentity from Kubernetes SA and External ASN"
note = """## Triage and analysis

### Investigating AWS AssumeRoleWithWebIdentity from Kubernetes SA and External ASN

With IAM Roles for Service Accounts (IRSA), a pod presents its projected service-account token (a JWT signed by the
cluster's OIDC issuer) to STS and receives temporary credentials for an IAM role. The exchange normally leaves through
the cluster's own egress, inside AWS address space. This alert is one successful exchange for a
\`system:serviceaccount:<namespace>:<name>\` identity from an address whose AS organization is not Amazon's: possibly a
token copied out of the cluster and redeemed elsewhere.

### Triage steps

1. **Confirm the exchange.** \`event.provider\` is \`sts.amazonaws.com\`, \`event.action\` is \`AssumeRoleWithWebIdentity\`
   and \`event.outcome\` is \`success\`: credentials were issued.
2. **Identity and role.** \`user.name\` names the namespace and service account. The role is in
   \`aws.cloudtrail.resources.arn\` and in the request parameters (\`roleArn\`, \`roleSessionName\`); the token's subject
   (\`sub\`) and audience (\`aud\`) are in the response elements. Is this service account expected to assume this role?
3. **Network.** Compare \`source.ip\`, \`source.geo.country_name\`, \`source.geo.city_name\`, \`source.as.organization.name\`
   and \`source.as.number\` with the cluster's known egress: NAT gateways, egress proxies, VPN concentrators. Check
   \`user_agent.original\` against the SDK the workload uses.
4. **Follow the credentials.** Take the access key issued in the response and search for calls made with it
   (\`aws.cloudtrail.user_identity.access_key_id\`): from which addresses, and which actions.
5. **Kubernetes.** Map the service account to its workloads. In the audit logs around the event time, look for \`exec\`
   into its pods, token requests for the service account, secret reads, and new workloads that mount it.

### False positive analysis

- Egress that leaves through a non-AWS network (corporate proxies, VPNs, third-party security stacks, other NAT
  providers, multi-cloud connectors) carries that provider's AS organization.
- Only organization names beginning with \`Amazon\` or \`AMAZON\` are excluded; ASN databases label some AWS ranges
  differently. Add confirmed egress organizations or CIDRs as exceptions.
- Clusters outside EKS (self-managed or in another cloud) that federate to AWS the same way.

### Response and remediation

- If the exchange is not explained: revoke the role's active sessions, find how the token left the cluster (compromised
  pod, leaked logs or volumes), restart the workload so its token is replaced, restrict the role trust policy to the
  expected \`sub\` and \`aud\`, and reduce the permissions of the role and the service account.
"""
references = [
    "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html",
    "https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html",
]
risk_score = 73
rule_id = "ae32268b-bfd0-4c35-b002-13461b5830ca"
severity = "high"
tags = [
    "Domain: Cloud",
    "Domain: Identity",
    "Data Source: AWS",
    "Data Source: Amazon Web Services",
    "Data Source: AWS CloudTrail",
    "Use Case: Threat Detection",
    "Tactic: Initial Access",
    "Resources: Investigation Guide",
]
timestamp_override = "event.ingested"
type = "query"
version = 1

query = '''
data_stream.dataset:aws.cloudtrail and 
 event.provider:sts.amazonaws.com and 
 event.action:AssumeRoleWithWebIdentity and 
 event.outcome:success and user.name:system\\:serviceaccount\\:* and 
 source.as.organization.name:(* and not (Amazon* or AMAZON*))
'''

[rule.investigation_fields]
field_names = [
    "@timestamp",
    "user.name",
    "user_agent.original",
    "source.ip",
    "source.geo.city_name",
    "source.geo.country_name",
    "source.as.organization.name",
    "source.as.number",
    "aws.cloudtrail.user_identity.arn",
    "aws.cloudtrail.user_identity.type",
    "aws.cloudtrail.user_identity.access_key_id",
    "aws.cloudtrail.resources.arn",
    "aws.cloudtrail.resources.type",
    "event.action",
    "event.outcome",
    "cloud.account.id",
    "cloud.region",
]

[[rule.threat]]
framework = "MITRE ATT&CK"

[[rule.threat.technique]]
id = "T1078"
name = "Valid Accounts"
reference = "https://attack.mitre.org/techniques/T1078/"

[[rule.threat.technique.subtechnique]]
id = "T1078.004"
name = "Cloud Accounts"
reference = "https://attack.mitre.org/techniques/T1078/004/"

[rule.threat.tactic]
id = "TA0001"
name = "Initial Access"
reference = "https://attack.mitre.org/tactics/TA0001/"
`;
