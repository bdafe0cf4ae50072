/** Ground truth for the benign estate: who acts, and which alerts the rules as written raise on them. */
import { API } from "./apis.ts";
import type { Estate, Workload } from "./estate.ts";
import { type BenignTruth, RULE_IDS } from "./ground-truth.ts";

/**
 * The actions the lateral-movement rule counts, as its query lists them. Used only to label which benign workloads
 * the rule flags, in ground truth; the engine never sees this list.
 */
const LATERAL_RULE_ACTIONS = new Set([
  "ListBuckets", "DescribeInstances", "GetCallerIdentity", "ListUsers", "ListRoles", "ListAttachedRolePolicies",
  "GetRolePolicy", "GetSecretValue", "ListSecrets", "GetParameters", "DescribeParameters", "ListKeys", "Decrypt",
  "ListFunctions", "GetAuthorizationToken", "SendCommand", "StartSession", "CreateUser", "CreateAccessKey",
  "AttachRolePolicy", "CreateRole", "PutRolePolicy", "UpdateAssumeRolePolicy", "UpdateFunctionCode",
  "UpdateFunctionConfiguration", "ModifyInstanceAttribute", "StopLogging", "DeleteTrail",
]);

/** The distinct counted actions one key of this workload can reach (a GetSecretValue brings KMS Decrypt with it). */
function countedActions(w: Workload): string[] {
  const names = new Set<string>();
  for (const [api] of w.calls) {
    if (!(api in API)) continue;
    if (LATERAL_RULE_ACTIONS.has(api)) names.add(api);
    if (api === "GetSecretValue") names.add("Decrypt");
  }
  return [...names].sort();
}

function workloadTruth(w: Workload): BenignTruth {
  const counted = countedActions(w);
  const expectedAlerts =
    counted.length >= 2
      ? [
          {
            ruleId: RULE_IDS.lateralMovement,
            why: `every credential refresh (each 45–55 min) gives a key that makes ${counted.join(", ")}: with the exchange, ${counted.length + 1} distinct actions (the rule needs 3)`,
          },
        ]
      : [];
  return {
    id: `${w.cluster.name}/${w.id}`,
    kind: "irsa-workload",
    account: w.cluster.account,
    cluster: w.cluster.name,
    subject: w.subject,
    role: w.role.name,
    description: `${w.id}: ${w.description}, ${w.replicas} replica(s), exchanges its token from the cluster NAT`,
    expectedAlerts,
  };
}

export function benignTruth(estate: Estate): BenignTruth[] {
  const list: BenignTruth[] = [];
  for (const c of estate.clusters) {
    for (const w of c.workloads) list.push(workloadTruth(w));
    list.push({ id: `${c.name}/reports-cronjob`, kind: "irsa-workload", account: c.account, cluster: c.name, subject: "system:serviceaccount:reports:default", role: `${c.name}-reports-exporter`, description: "CronJob whose service account the role does not trust: every exchange is denied (AccessDenied), no key issued", expectedAlerts: [] });
    list.push({ id: `${c.name}/nodes`, kind: "node-role", account: c.account, cluster: c.name, role: c.nodeRole.name, description: `${c.nodes.length} nodes: VPC CNI and ECR credential provider with the instance profile`, expectedAlerts: [] });
  }
  for (const account of estate.accounts) {
    list.push({ id: `${account}/sso-engineers`, kind: "sso-engineers", account, description: "engineers on IAM Identity Center sessions, CLI from office broadband, 13:00–23:00 UTC", expectedAlerts: [] });
    list.push({ id: `${account}/github-oidc-ci`, kind: "github-oidc-ci", account, role: "github-actions-deploy", description: "GitHub Actions deploys: OIDC exchange from Azure-hosted runners (not a service account), ECR push, EKS deploy", expectedAlerts: [] });
    list.push({ id: `${account}/aws-service-roles`, kind: "aws-service-roles", account, description: "EKS, Auto Scaling and node-group service-linked roles assumed by AWS services", expectedAlerts: [] });
  }
  return list;
}
