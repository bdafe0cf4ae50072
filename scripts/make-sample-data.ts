/**
 * Writes the small sample archive `npm start` scans: two hours of one EKS cluster's CloudTrail in the S3 delivery
 * layout. Ordinary IRSA workloads refresh credentials from the cluster's NAT (Amazon addresses) and make their usual
 * calls; one stolen service-account session fans out into recon, secrets and IAM persistence; one service-account
 * token is exchanged from a hosting provider outside Amazon. Deterministic: same output on every run.
 *
 *   npx tsx scripts/make-sample-data.ts samples/eks-irsa
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const ACCOUNT = "111122223333";
const REGION = "us-east-1";
const OIDC_ID = "5C8D2E1A9B7F4E3D6A0C1B2E3F4A5D6C";
const OIDC_PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.${REGION}.amazonaws.com/id/${OIDC_ID}`;
const NAT_IPS = ["3.2.34.17", "3.2.35.201"];
const START = Date.UTC(2026, 10, 20, 9, 0, 0);
const HOURS = 2;

let seed = 20261120;
function random(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[Math.floor(random() * 16)]).join("");
const upper = (n: number) =>
  Array.from({ length: n }, () => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[Math.floor(random() * 32)]).join("");
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(["8", "9", "a", "b"])}${hex(3)}-${hex(12)}`;
/** CloudTrail prints credential expirations in Java's default date style: "Nov 21, 2026, 10:23:00 AM". */
const javaDate = (t: number) =>
  new Date(t).toLocaleString("en-US", {
    timeZone: "UTC",
    month: "short",
    day: "numeric",
    year: "numeric",
    hour: "numeric",
    minute: "2-digit",
    second: "2-digit",
    hour12: true,
  });
const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");

interface Workload {
  namespace: string;
  serviceAccount: string;
  role: string;
  userAgent: string;
  calls: { source: string; name: string; readOnly: boolean; request?: Record<string, unknown> }[];
}

const SDK_GO = "aws-sdk-go-v2/1.36.3 os/linux lang/go#1.23.6 md/GOOS#linux md/GOARCH#amd64 api/sts#1.33.17";
const WORKLOADS: Workload[] = [
  {
    namespace: "kube-system",
    serviceAccount: "aws-load-balancer-controller",
    role: "eks-prod-aws-load-balancer-controller",
    userAgent: "elbv2.k8s.aws/v2.11.0 aws-sdk-go-v2/1.36.3 os/linux lang/go#1.23.6",
    calls: [
      { source: "elasticloadbalancing.amazonaws.com", name: "DescribeLoadBalancers", readOnly: true },
      { source: "elasticloadbalancing.amazonaws.com", name: "DescribeTargetGroups", readOnly: true },
      { source: "elasticloadbalancing.amazonaws.com", name: "DescribeTargetHealth", readOnly: true },
    ],
  },
  {
    namespace: "kube-system",
    serviceAccount: "cluster-autoscaler",
    role: "eks-prod-cluster-autoscaler",
    userAgent: "aws-sdk-go/1.55.5 (go1.22.9; linux; amd64) cluster-autoscaler",
    calls: [
      { source: "autoscaling.amazonaws.com", name: "DescribeAutoScalingGroups", readOnly: true },
      { source: "ec2.amazonaws.com", name: "DescribeLaunchTemplateVersions", readOnly: true },
    ],
  },
  {
    namespace: "kube-system",
    serviceAccount: "ebs-csi-controller-sa",
    role: "eks-prod-ebs-csi-driver",
    userAgent: "aws-sdk-go-v2/1.36.3 os/linux lang/go#1.23.6 md/GOOS#linux api/ec2#1.200.0 ebs-csi-driver/v1.38.1",
    calls: [
      { source: "ec2.amazonaws.com", name: "DescribeVolumes", readOnly: true },
      { source: "ec2.amazonaws.com", name: "CreateVolume", readOnly: false, request: { size: 20, volumeType: "gp3" } },
    ],
  },
  {
    namespace: "external-secrets",
    serviceAccount: "external-secrets",
    role: "eks-prod-external-secrets",
    userAgent: "aws-sdk-go/1.55.5 (go1.23.4; linux; amd64) external-secrets",
    calls: [
      {
        source: "secretsmanager.amazonaws.com",
        name: "GetSecretValue",
        readOnly: true,
        request: { secretId: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/payments/db-Xq3r9T` },
      },
    ],
  },
  {
    namespace: "logging",
    serviceAccount: "fluent-bit",
    role: "eks-prod-fluent-bit",
    userAgent: "aws-fluent-bit-plugins/1.9.4",
    calls: [{ source: "logs.amazonaws.com", name: "PutLogEvents", readOnly: false }],
  },
];

type Rec = Record<string, unknown>;
const records: Rec[] = [];

function base(time: number, source: string, name: string, ip: string, userAgent: string, readOnly: boolean): Rec {
  return {
    eventVersion: "1.08",
    eventTime: iso(time),
    eventSource: source,
    eventName: name,
    awsRegion: REGION,
    sourceIPAddress: ip,
    userAgent,
    requestID: uuid(),
    eventID: uuid(),
    readOnly,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: "Management",
    tlsDetails: {
      tlsVersion: "TLSv1.3",
      cipherSuite: "TLS_AES_128_GCM_SHA256",
      clientProvidedHostHeader: `${source.split(".")[0]}.${REGION}.amazonaws.com`,
    },
  };
}

/** The token exchange; returns the temporary access key it issued (none when it failed). */
function assume(time: number, w: Workload, ip: string, ok = true): string | undefined {
  const subject = `system:serviceaccount:${w.namespace}:${w.serviceAccount}`;
  const session = `botocore-session-${Math.floor(time / 1000)}`;
  const key = `ASIA${upper(16)}`;
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/${w.role}`;
  const r = base(time, "sts.amazonaws.com", "AssumeRoleWithWebIdentity", ip, SDK_GO, true);
  r.userIdentity = {
    type: "WebIdentityUser",
    principalId: `${OIDC_PROVIDER}:sts.amazonaws.com:${subject}`,
    userName: subject,
    identityProvider: OIDC_PROVIDER,
  };
  r.requestParameters = { roleArn, roleSessionName: session, durationSeconds: 86400 };
  r.resources = [{ accountId: ACCOUNT, type: "AWS::IAM::Role", ARN: roleArn }];
  r.additionalEventData = { identityProviderConnectionVerificationMethod: "IAMTrustStore" };
  if (!ok) {
    r.errorCode = "AccessDenied";
    r.errorMessage = "Not authorized to perform sts:AssumeRoleWithWebIdentity";
    r.responseElements = null;
    records.push(r);
    return undefined;
  }
  r.responseElements = {
    credentials: {
      accessKeyId: key,
      sessionToken: `IQoJb3JpZ2luX2VjE${upper(40)}`,
      expiration: javaDate(time + 86400e3),
    },
    subjectFromWebIdentityToken: subject,
    assumedRoleUser: {
      assumedRoleId: `AROA${upper(17)}:${session}`,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${w.role}/${session}`,
    },
    provider: OIDC_PROVIDER,
    audience: "sts.amazonaws.com",
  };
  records.push(r);
  return key;
}

function call(
  time: number,
  w: Workload,
  key: string,
  c: Workload["calls"][number],
  ip: string,
  userAgent = w.userAgent,
) {
  const session = "botocore-session";
  const r = base(time, c.source, c.name, ip, userAgent, c.readOnly);
  r.userIdentity = {
    type: "AssumedRole",
    principalId: `AROA${key.slice(4, 21)}:${session}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${w.role}/${session}`,
    accountId: ACCOUNT,
    accessKeyId: key,
    sessionContext: {
      sessionIssuer: {
        type: "Role",
        principalId: `AROA${key.slice(4, 21)}`,
        arn: `arn:aws:iam::${ACCOUNT}:role/${w.role}`,
        accountId: ACCOUNT,
        userName: w.role,
      },
      webIdFederationData: { federatedProvider: OIDC_PROVIDER, attributes: {} },
      attributes: { creationDate: iso(time - 60_000), mfaAuthenticated: "false" },
    },
  };
  r.requestParameters = c.request ?? null;
  r.responseElements = null;
  records.push(r);
}

// Ordinary traffic: each workload refreshes its credentials about hourly and calls its APIs every few minutes.
for (const w of WORKLOADS) {
  for (let hour = 0; hour < HOURS; hour++) {
    const t0 = START + hour * 3600e3 + Math.floor(random() * 600e3);
    const ip = pick(NAT_IPS);
    const key = assume(t0, w, ip)!;
    for (let t = t0 + 20e3; t < t0 + 3600e3; t += 120e3 + Math.floor(random() * 240e3))
      call(t, w, key, pick(w.calls), ip);
  }
}
// A pod whose role does not trust it: the exchange fails and no key exists to follow.
assume(START + 25 * 60e3, { ...WORKLOADS[3], serviceAccount: "default" }, NAT_IPS[0], false);

// Attack 1: a compromised application pod uses its own IRSA session for recon, secrets and IAM persistence.
const app: Workload = {
  namespace: "payments",
  serviceAccount: "payments-api",
  role: "eks-prod-payments-api",
  userAgent: "aws-cli/2.22.10 Python/3.12.6 Linux/6.1.119 exe/x86_64.amzn.2023",
  calls: [],
};
const t1 = START + 47 * 60e3;
const stolen = assume(t1, app, NAT_IPS[1])!;
const steps: [string, string, boolean, Record<string, unknown>?][] = [
  ["sts.amazonaws.com", "GetCallerIdentity", true],
  ["s3.amazonaws.com", "ListBuckets", true],
  ["iam.amazonaws.com", "ListRoles", true],
  ["secretsmanager.amazonaws.com", "ListSecrets", true],
  ["secretsmanager.amazonaws.com", "GetSecretValue", true, { secretId: "prod/payments/stripe-api-key" }],
  ["ssm.amazonaws.com", "DescribeParameters", true],
  ["iam.amazonaws.com", "CreateUser", false, { userName: "svc-backup-sync" }],
  ["iam.amazonaws.com", "CreateAccessKey", false, { userName: "svc-backup-sync" }],
];
for (const [i, [source, name, readOnly, request]] of steps.entries()) {
  call(t1 + (i + 1) * 41e3, app, stolen, { source, name, readOnly, request }, NAT_IPS[1], app.userAgent);
}

// Attack 2: a service-account token exchanged from a hosting provider's network, outside the cluster.
const exfil: Workload = { ...WORKLOADS[3], userAgent: "aws-cli/2.22.10 Python/3.12.6 Linux/6.8.0-49-generic" };
const t2 = START + 83 * 60e3;
const outsideKey = assume(t2, exfil, "5.101.100.23")!;
call(
  t2 + 30e3,
  exfil,
  outsideKey,
  { source: "sts.amazonaws.com", name: "GetCallerIdentity", readOnly: true },
  "5.101.100.23",
  exfil.userAgent,
);

// Deliver as CloudTrail does: a file about every five minutes, events unordered inside it.
const out = process.argv[2] ?? "samples/eks-irsa";
rmSync(out, { recursive: true, force: true });
records.sort((a, b) => String(a.eventTime).localeCompare(String(b.eventTime)));
const byFile = new Map<number, Rec[]>();
const delay = new Map<number, number>();
for (const r of records) {
  const batch = Math.ceil((Date.parse(String(r.eventTime)) + 1) / 300e3) * 300e3;
  if (!delay.has(batch)) delay.set(batch, 60e3 * (1 + Math.floor(random() * 4)));
  const delivered = batch + delay.get(batch)!;
  byFile.set(delivered, [...(byFile.get(delivered) ?? []), r]);
}
for (const [delivered, recs] of byFile) {
  const d = new Date(delivered);
  const day = join(
    out,
    "AWSLogs",
    ACCOUNT,
    "CloudTrail",
    REGION,
    String(d.getUTCFullYear()),
    String(d.getUTCMonth() + 1).padStart(2, "0"),
    String(d.getUTCDate()).padStart(2, "0"),
  );
  mkdirSync(day, { recursive: true });
  const stamp = iso(delivered)
    .replace(/[-:]/g, "")
    .replace(/\d{2}Z$/, "Z");
  recs.sort(() => random() - 0.5);
  writeFileSync(
    join(day, `${ACCOUNT}_CloudTrail_${REGION}_${stamp}_${upper(16)}.json.gz`),
    gzipSync(JSON.stringify({ Records: recs })),
  );
}
process.stdout.write(`wrote ${records.length} records in ${byFile.size} files under ${out}\n`);
