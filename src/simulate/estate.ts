/**
 * The simulated organization: accounts, EKS clusters with their NAT egress, node roles and IRSA workloads. Built
 * once from the seed; the actors then make its traffic.
 */
import { AMAZON_EGRESS, drawAddress, REGIONS } from "./network.ts";
import type { Random } from "./random.ts";
import { makeRole, type Role } from "./session.ts";
import { UA } from "./user-agents.ts";

/** How an SDK names the session it opens with AssumeRoleWithWebIdentity. */
export type SessionNaming = "go-nanos" | "botocore" | "java-millis";

export interface WorkloadProfile {
  /** Stable id used in ground truth and reports, e.g. "external-secrets". */
  id: string;
  namespace: string;
  serviceAccount: string;
  userAgent: string;
  naming: SessionNaming;
  replicas: number;
  /** Mean API calls per minute per replica. */
  perMinute: number;
  /** API names (keys of API) with relative weights. */
  calls: [string, number][];
  description: string;
}

export interface Workload extends WorkloadProfile {
  cluster: Cluster;
  role: Role;
  subject: string;
}

export interface Cluster {
  name: string;
  account: string;
  region: string;
  oidcProvider: string;
  natIps: string[];
  nodeRole: Role;
  nodes: string[];
  workloads: Workload[];
}

export interface Estate {
  accounts: string[];
  clusters: Cluster[];
}

const PROFILES: WorkloadProfile[] = [
  {
    id: "aws-load-balancer-controller",
    namespace: "kube-system",
    serviceAccount: "aws-load-balancer-controller",
    userAgent: UA.albController,
    naming: "go-nanos",
    replicas: 1,
    perMinute: 2,
    calls: [["DescribeTargetHealth", 6], ["DescribeLoadBalancers", 2], ["DescribeTargetGroups", 2], ["DescribeSecurityGroups", 1], ["DescribeSubnets", 1], ["DescribeInstances", 1]],
    description: "reconciles load balancers and target groups",
  },
  {
    id: "external-dns",
    namespace: "external-dns",
    serviceAccount: "external-dns",
    userAgent: UA.externalDns,
    naming: "go-nanos",
    replicas: 1,
    perMinute: 1,
    calls: [["ListResourceRecordSets", 4], ["ListHostedZones", 1]],
    description: "syncs Route 53 records every minute",
  },
  {
    id: "ebs-csi-driver",
    namespace: "kube-system",
    serviceAccount: "ebs-csi-controller-sa",
    userAgent: UA.ebsCsi,
    naming: "go-nanos",
    replicas: 2,
    perMinute: 0.4,
    calls: [["DescribeVolumes", 6], ["DescribeInstances", 2], ["CreateTags", 1]],
    description: "attaches and describes EBS volumes",
  },
  {
    id: "external-secrets",
    namespace: "external-secrets",
    serviceAccount: "external-secrets",
    userAgent: UA.externalSecrets,
    naming: "go-nanos",
    replicas: 1,
    perMinute: 0.5,
    calls: [["GetSecretValue", 12], ["GetCallerIdentity", 1]],
    description: "syncs Secrets Manager secrets into Kubernetes (KMS decrypts on its behalf)",
  },
  {
    id: "fluent-bit",
    namespace: "amazon-cloudwatch",
    serviceAccount: "fluent-bit",
    userAgent: UA.fluentBit,
    naming: "go-nanos",
    replicas: 3,
    perMinute: 0.3,
    calls: [["DescribeLogStreams", 3], ["CreateLogStream", 1], ["PutObject", 2]],
    description: "ships container logs to CloudWatch Logs and S3",
  },
  {
    id: "payments-api",
    namespace: "payments",
    serviceAccount: "payments-api",
    userAgent: UA.javaSdk,
    naming: "java-millis",
    replicas: 3,
    perMinute: 4,
    calls: [["GetObject", 5], ["PutObject", 3]],
    description: "application pod reading and writing S3 objects",
  },
  {
    id: "orders-worker",
    namespace: "orders",
    serviceAccount: "orders-worker",
    userAgent: UA.boto3,
    naming: "botocore",
    replicas: 2,
    perMinute: 3,
    calls: [["PutObject", 4], ["GetObject", 2]],
    description: "application pod exporting orders to S3",
  },
];

const KARPENTER: WorkloadProfile = {
  id: "karpenter",
  namespace: "karpenter",
  serviceAccount: "karpenter",
  userAgent: UA.karpenter,
  naming: "go-nanos",
  replicas: 1,
  perMinute: 1.5,
  calls: [["DescribeInstances", 3], ["DescribeInstanceTypes", 1], ["DescribeSubnets", 2], ["DescribeSecurityGroups", 2], ["DescribeImages", 1], ["GetParameter", 1]],
  description: "provisions nodes",
};

const CLUSTER_AUTOSCALER: WorkloadProfile = {
  id: "cluster-autoscaler",
  namespace: "kube-system",
  serviceAccount: "cluster-autoscaler",
  userAgent: UA.clusterAutoscaler,
  naming: "go-nanos",
  replicas: 1,
  perMinute: 1.5,
  calls: [["DescribeAutoScalingGroups", 4], ["DescribeLaunchTemplateVersions", 1], ["DescribeInstanceTypes", 1], ["DescribeScalingActivities", 1]],
  description: "scales node groups",
};

const CLUSTER_NAMES = ["prod-use1", "prod-usw2", "prod-euw1", "staging", "data", "platform", "ml", "edge"];

export function buildEstate(rng: Random, accountCount: number, clusterCount: number): Estate {
  const accounts = Array.from({ length: accountCount }, () => String(rng.between(100000000000, 999999999999)));
  const clusters: Cluster[] = [];
  for (let i = 0; i < clusterCount; i++) {
    const account = accounts[i % accounts.length];
    const region = REGIONS[i % REGIONS.length];
    const base = CLUSTER_NAMES[i % CLUSTER_NAMES.length];
    const name = i < CLUSTER_NAMES.length ? base : `${base}-${Math.floor(i / CLUSTER_NAMES.length) + 1}`;
    const oidcId = rng.hex(32).toUpperCase();
    const cluster: Cluster = {
      name,
      account,
      region,
      oidcProvider: `arn:aws:iam::${account}:oidc-provider/oidc.eks.${region}.amazonaws.com/id/${oidcId}`,
      natIps: [drawAddress(AMAZON_EGRESS[region], rng), drawAddress(AMAZON_EGRESS[region], rng)],
      nodeRole: makeRole(rng, account, `${name}-node-role`),
      nodes: Array.from({ length: 3 + rng.int(3) }, () => `i-0${rng.hex(16)}`),
      workloads: [],
    };
    const profiles = [...PROFILES, i % 2 === 0 ? KARPENTER : CLUSTER_AUTOSCALER];
    cluster.workloads = profiles.map((p) => ({
      ...p,
      cluster,
      role: makeRole(rng, account, `${name}-${p.id}`),
      subject: `system:serviceaccount:${p.namespace}:${p.serviceAccount}`,
    }));
    clusters.push(cluster);
  }
  return { accounts, clusters };
}

export function sessionNameFor(naming: SessionNaming, time: number, rng: Random): string {
  const ms = Math.floor(time);
  switch (naming) {
    case "go-nanos":
      return `${ms}${String(rng.int(1e6)).padStart(6, "0")}`;
    case "botocore":
      return `botocore-session-${Math.floor(ms / 1000)}`;
    case "java-millis":
      return `aws-sdk-java-${ms}`;
  }
}
