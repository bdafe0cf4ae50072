/**
 * The API calls the simulated estate makes, each with the request parameters and response elements CloudTrail
 * records for it. One builder per API; the names used by workloads and attacks are the keys of `API`.
 */
import type { CallShape } from "./record.ts";
import type { Random } from "./random.ts";
import { isoDay, javaDate } from "./time-format.ts";

/** Where a call happens: the account, region and cluster whose resources it names. */
export interface ApiContext {
  rng: Random;
  time: number;
  account: string;
  region: string;
  cluster: string;
}

type Builder = (c: ApiContext) => CallShape;

const regional = (svc: string, c: ApiContext) => `${svc}.${c.region}.amazonaws.com`;
const instanceId = (c: ApiContext) => `i-0${c.rng.hex(16)}`;
const vpc = (c: ApiContext) => `vpc-0${c.cluster.length.toString(16)}${c.account.slice(-6)}a1b2c3d`;

function ec2(name: string, readOnly: boolean, request: (c: ApiContext) => string, response = "null"): Builder {
  return (c) => ({ source: "ec2.amazonaws.com", name, readOnly, request: request(c), response, host: regional("ec2", c) });
}
function iam(name: string, readOnly: boolean, request: (c: ApiContext) => string, response: (c: ApiContext) => string = () => "null"): Builder {
  return (c) => ({ source: "iam.amazonaws.com", name, readOnly, request: request(c), response: response(c), host: "iam.amazonaws.com" });
}
function simple(source: string, svc: string, name: string, readOnly: boolean, request: (c: ApiContext) => string): Builder {
  return (c) => ({ source, name, readOnly, request: request(c), response: "null", host: regional(svc, c) });
}

/** Elastic Load Balancing v2: its records carry the API version. */
function elb(name: string, request: (c: ApiContext) => string): Builder {
  return (c) => ({
    source: "elasticloadbalancing.amazonaws.com",
    name,
    readOnly: true,
    request: request(c),
    response: "null",
    apiVersion: "2015-12-01",
    host: regional("elasticloadbalancing", c),
  });
}

const secretArn = (c: ApiContext, name: string) =>
  `arn:aws:secretsmanager:${c.region}:${c.account}:secret:${name}-${c.rng.alnum(6)}`;
const SECRETS = ["prod/payments/db", "prod/orders/db", "prod/payments/stripe-api-key", "prod/shared/datadog-api-key", "prod/orders/sqs-signing-key"];
const BUCKETS = ["app-artifacts", "orders-exports", "payments-receipts", "logs-archive"];

/** The JSON around an S3 object call that depends only on the bucket, rendered once per bucket. */
interface BucketFragments {
  host: string;
  /** `{"bucketName":…,"Host":…,"key":"`: the request up to the object key. */
  requestHead: string;
  /** The resources up to the object key, and after it. */
  resourcesHead: string;
  resourcesTail: string;
}
/** Cluster name → account → region → fragments of each bucket; the strings come from the estate, so lookups are cheap. */
const bucketFragments = new Map<string, Map<string, Map<string, BucketFragments[]>>>();

function bucketOf(c: ApiContext): BucketFragments {
  const index = c.rng.int(BUCKETS.length);
  const byAccount = getOrMake(bucketFragments, c.cluster, () => new Map<string, Map<string, BucketFragments[]>>());
  const byRegion = getOrMake(byAccount, c.account, () => new Map<string, BucketFragments[]>());
  const buckets = getOrMake(byRegion, c.region, () =>
    BUCKETS.map((name) => {
      const b = `${c.cluster}-${name}-${c.account.slice(-4)}`;
      const host = `${b}.s3.${c.region}.amazonaws.com`;
      return {
        host,
        requestHead: `{"bucketName":"${b}","Host":"${host}","key":"`,
        resourcesHead: `[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::${b}/`,
        resourcesTail: `"},{"accountId":"${c.account}","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::${b}"}]`,
      };
    }),
  );
  return buckets[index];
}

function getOrMake<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

function s3Object(name: string, readOnly: boolean): Builder {
  const ADDITIONAL_HEAD = `{"SignatureVersion":"SigV4","CipherSuite":"TLS_AES_128_GCM_SHA256","bytesTransferredIn":`;
  return (c) => {
    const b = bucketOf(c);
    const key = `${readOnly ? "in" : "out"}/${isoDay(c.time)}/${c.rng.hex(12)}.json`;
    const bytes = `${c.rng.between(200, 90000)}.0`;
    return {
      source: "s3.amazonaws.com",
      name,
      readOnly,
      data: true,
      shortRequestId: true,
      request: `${b.requestHead}${key}"}`,
      response: "null",
      additional:
        `${ADDITIONAL_HEAD}${readOnly ? "0.0" : bytes},"AuthenticationMethod":"AuthHeader","x-amz-id-2":"${c.rng.base64(75)}=",` +
        `"bytesTransferredOut":${readOnly ? bytes : "0.0"}}`,
      resources: `${b.resourcesHead}${key}${b.resourcesTail}`,
      host: b.host,
    };
  };
}

export const API: Record<string, Builder> = {
  GetCallerIdentity: (c) => ({ source: "sts.amazonaws.com", name: "GetCallerIdentity", readOnly: true, request: "null", response: "null", host: regional("sts", c) }),

  DescribeLoadBalancers: elb("DescribeLoadBalancers", () => "null"),
  DescribeTargetGroups: elb("DescribeTargetGroups", () => "null"),
  DescribeTargetHealth: elb("DescribeTargetHealth", (c) =>
    `{"targetGroupArn":"arn:aws:elasticloadbalancing:${c.region}:${c.account}:targetgroup/k8s-${c.cluster.slice(0, 8)}-${c.rng.hex(10)}/${c.rng.hex(16)}"}`),

  DescribeInstances: ec2("DescribeInstances", true, (c) =>
    `{"instancesSet":{"items":[{"instanceId":"${instanceId(c)}"}]},"filterSet":{}}`),
  DescribeSecurityGroups: ec2("DescribeSecurityGroups", true, () => `{"securityGroupSet":{},"securityGroupIdSet":{},"filterSet":{},"maxResults":1000}`),
  DescribeSubnets: ec2("DescribeSubnets", true, (c) =>
    `{"subnetSet":{},"filterSet":{"items":[{"name":"vpc-id","valueSet":{"items":[{"value":"${vpc(c)}"}]}}]}}`),
  DescribeVolumes: ec2("DescribeVolumes", true, (c) => `{"volumeSet":{"items":[{"volumeId":"vol-0${c.rng.hex(16)}"}]},"filterSet":{}}`),
  CreateTags: ec2("CreateTags", false, (c) =>
    `{"resourcesSet":{"items":[{"resourceId":"vol-0${c.rng.hex(16)}"}]},"tagSet":{"items":[{"key":"kubernetes.io/cluster/${c.cluster}","value":"owned"}]}}`, `{"_return":true}`),
  DescribeLaunchTemplateVersions: ec2("DescribeLaunchTemplateVersions", true, (c) =>
    `{"DescribeLaunchTemplateVersionsRequest":{"LaunchTemplateId":"lt-0${c.rng.hex(16)}","LaunchTemplateVersion":{"content":"$Latest","tag":1}}}`),
  DescribeInstanceTypes: ec2("DescribeInstanceTypes", true, () => `{"DescribeInstanceTypesRequest":{"MaxResults":100}}`),
  DescribeImages: ec2("DescribeImages", true, () =>
    `{"executableBySet":{},"imagesSet":{},"ownersSet":{"items":[{"owner":"amazon"}]},"filterSet":{"items":[{"name":"name","valueSet":{"items":[{"value":"amazon-eks-node-al2023-x86_64-standard-1.31-*"}]}}]}}`),
  DescribeNetworkInterfaces: ec2("DescribeNetworkInterfaces", true, (c) =>
    `{"networkInterfaceIdSet":{"items":[{"networkInterfaceId":"eni-0${c.rng.hex(16)}"}]},"filterSet":{}}`),
  AssignPrivateIpAddresses: ec2("AssignPrivateIpAddresses", false, (c) =>
    `{"networkInterfaceId":"eni-0${c.rng.hex(16)}","secondaryPrivateIpAddressCount":1}`),

  DescribeAutoScalingGroups: simple("autoscaling.amazonaws.com", "autoscaling", "DescribeAutoScalingGroups", true, () => `{"maxRecords":100}`),
  DescribeScalingActivities: simple("autoscaling.amazonaws.com", "autoscaling", "DescribeScalingActivities", true, (c) =>
    `{"autoScalingGroupName":"eks-${c.cluster}-ng-${c.rng.hex(8)}"}`),

  ListHostedZones: () => ({ source: "route53.amazonaws.com", name: "ListHostedZones", readOnly: true, request: "null", response: "null", host: "route53.amazonaws.com" }),
  ListResourceRecordSets: (c) => ({ source: "route53.amazonaws.com", name: "ListResourceRecordSets", readOnly: true,
    request: `{"hostedZoneId":"Z0${c.rng.keyChars(19)}","maxItems":"300"}`, response: "null", host: "route53.amazonaws.com" }),

  GetSecretValue: (c) => ({ source: "secretsmanager.amazonaws.com", name: "GetSecretValue", readOnly: true,
    request: `{"secretId":"${secretArn(c, c.rng.pick(SECRETS))}"}`, response: "null", host: regional("secretsmanager", c) }),
  ListSecrets: simple("secretsmanager.amazonaws.com", "secretsmanager", "ListSecrets", true, () => `{"maxResults":100}`),
  DescribeParameters: simple("ssm.amazonaws.com", "ssm", "DescribeParameters", true, () => `{"maxResults":50}`),
  GetParameters: (c) => {
    const names = ["/prod/payments/db-password", "/prod/orders/api-token"];
    return {
      source: "ssm.amazonaws.com",
      name: "GetParameters",
      readOnly: true,
      request: `{"names":[${names.map((n) => `"${n}"`).join(",")}],"withDecryption":true}`,
      response: "null",
      resources: `[${names.map((n) => `{"ARN":"arn:aws:ssm:${c.region}:${c.account}:parameter${n}","accountId":"${c.account}"}`).join(",")}]`,
      host: regional("ssm", c),
    };
  },
  GetParameter: simple("ssm.amazonaws.com", "ssm", "GetParameter", true, () => `{"name":"/aws/service/eks/optimized-ami/1.31/amazon-linux-2023/x86_64/standard/recommended/image_id"}`),

  CreateLogStream: simple("logs.amazonaws.com", "logs", "CreateLogStream", false, (c) =>
    `{"logGroupName":"/aws/containerinsights/${c.cluster}/application","logStreamName":"fluent-bit-${c.rng.hex(10)}"}`),
  DescribeLogStreams: simple("logs.amazonaws.com", "logs", "DescribeLogStreams", true, (c) =>
    `{"logGroupName":"/aws/containerinsights/${c.cluster}/application","limit":1}`),

  GetObject: s3Object("GetObject", true),
  PutObject: s3Object("PutObject", false),
  ListBuckets: (c) => ({ source: "s3.amazonaws.com", name: "ListBuckets", readOnly: true, shortRequestId: true,
    request: `{"Host":"s3.${c.region}.amazonaws.com"}`, response: "null",
    additional: `{"SignatureVersion":"SigV4","CipherSuite":"TLS_AES_128_GCM_SHA256","AuthenticationMethod":"AuthHeader","x-amz-id-2":"${c.rng.base64(75)}="}`,
    host: `s3.${c.region}.amazonaws.com` }),

  GetAuthorizationToken: simple("ecr.amazonaws.com", "api.ecr", "GetAuthorizationToken", true, () => `{"registryIds":[]}`),
  DescribeCluster: (c) => ({ source: "eks.amazonaws.com", name: "DescribeCluster", readOnly: true,
    request: `{"name":"${c.cluster}"}`, response: "null", host: regional("eks", c) }),
  ListFunctions: (c) => ({ source: "lambda.amazonaws.com", name: "ListFunctions20150331", readOnly: true,
    request: "null", response: "null", host: regional("lambda", c) }),

  ListRoles: iam("ListRoles", true, () => "null"),
  ListUsers: iam("ListUsers", true, () => "null"),
  ListAttachedRolePolicies: iam("ListAttachedRolePolicies", true, (c) => `{"roleName":"${c.cluster}-payments-api"}`),
  CreateUser: iam("CreateUser", false, () => `{"userName":"svc-backup-sync"}`, (c) =>
    `{"user":{"path":"/","userName":"svc-backup-sync","userId":"AIDA${c.rng.keyChars(17)}","arn":"arn:aws:iam::${c.account}:user/svc-backup-sync","createDate":"${javaDate(c.time, false)}"}}`),
  CreateAccessKey: iam("CreateAccessKey", false, () => `{"userName":"svc-backup-sync"}`, (c) =>
    `{"accessKey":{"userName":"svc-backup-sync","accessKeyId":"AKIA${c.rng.keyChars(16)}","status":"Active","createDate":"${javaDate(c.time, false)}"}}`),
  AttachUserPolicy: iam("AttachUserPolicy", false, () => `{"userName":"svc-backup-sync","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}`),
  AttachRolePolicy: iam("AttachRolePolicy", false, (c) => `{"roleName":"${c.cluster}-payments-api","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}`),
};

/** A KMS Decrypt that a service (e.g. Secrets Manager) makes with the caller's credentials, from the service itself. */
export function decryptOnBehalf(c: ApiContext, service: string, secretName: string): CallShape {
  return {
    source: "kms.amazonaws.com",
    name: "Decrypt",
    readOnly: true,
    request: `{"encryptionAlgorithm":"SYMMETRIC_DEFAULT","encryptionContext":{"SecretARN":"${secretArn(c, secretName)}","SecretVersionId":"${c.rng.uuid()}"}}`,
    response: "null",
    resources: `[{"accountId":"${c.account}","type":"AWS::KMS::Key","ARN":"arn:aws:kms:${c.region}:${c.account}:key/${c.rng.uuid()}"}]`,
  };
}

export { SECRETS };
