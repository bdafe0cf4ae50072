/**
 * The per-service part of the pipeline's `script_append_related_entity` (fork @1bc21c5b): for each eventSource,
 * which request/response fields are related entities and which are the event's targets. Functions keep the
 * script's order, since the short-circuiting addValues makes order visible.
 */
import { asList, property, valueOf } from "./entity-access.ts";
import type { EntityCollector } from "./entity-collector.ts";

type ServiceRule = (c: EntityCollector, eventName: string | null) => void;

const resourceArns = (c: EntityCollector, set: Set<string>): void => {
  for (const r of c.list("resources")) c.addValue(set, property(r, "ARN"));
};

const accountTarget = (c: EntityCollector): void => c.addField(c.target, "recipientAccountId");

const oneOf = (name: string | null, ...names: string[]): boolean => name !== null && names.includes(name);

const TRAFFIC_MIRROR_TARGETS: Record<string, string> = {
  CreateTrafficMirrorFilter:
    "responseElements.CreateTrafficMirrorFilterResponse.trafficMirrorFilter.trafficMirrorFilterId",
  CreateTrafficMirrorFilterRule:
    "responseElements.CreateTrafficMirrorFilterRuleResponse.trafficMirrorFilterRule.trafficMirrorFilterRuleId",
  CreateTrafficMirrorSession:
    "responseElements.CreateTrafficMirrorSessionResponse.trafficMirrorSession.trafficMirrorSessionId",
  CreateTrafficMirrorTarget:
    "responseElements.CreateTrafficMirrorTargetResponse.trafficMirrorTarget.trafficMirrorTargetId",
};

const EC2_RELATED_FIELDS = [
  ...["groupId", "groupName", "roleName", "subnetId", "volumeId", "networkInterfaceId", "vpcId", "snapshotId"].map(
    (k) => `requestParameters.${k}`,
  ),
  ...["groupId", "reservationId", "vpc.vpcId", "vpc.dhcpOptionsId", "snapshotId", "volumeId"].map(
    (k) => `responseElements.${k}`,
  ),
];

const ec2: ServiceRule = (c, name) => {
  c.addFields(c.related, EC2_RELATED_FIELDS);
  for (const i of c.list("responseElements.securityGroupRuleSet.items")) {
    const referenced = property(i, "referencedGroupInfo");
    c.addValues(c.related, [
      property(i, "groupId"),
      property(referenced, "groupId", true),
      property(i, "securityGroupRuleId"),
    ]);
  }
  for (const i of c.list("responseElements.groupSet.items")) c.addValue(c.related, property(i, "groupId"));
  for (const i of c.list("requestParameters.groupSet.items")) c.addValue(c.related, property(i, "groupId"));
  for (const i of c.list("requestParameters.instancesSet.items")) c.addValue(c.related, property(i, "instanceId"));
  for (const instance of c.list("responseElements.instancesSet.items")) {
    const profile = property(instance, "iamInstanceProfile");
    c.addValues(c.related, [
      property(instance, "subnetId"),
      property(instance, "vpcId"),
      property(instance, "instanceId"),
      property(instance, "imageId"),
      property(profile, "arn", true),
    ]);
    const networks = property(property(instance, "networkInterfaceSet"), "items", true);
    if (networks === null) continue;
    for (const network of asList(networks)) {
      c.addValues(c.related, [
        property(network, "networkInterfaceId"),
        property(network, "vpcId"),
        property(network, "subnetId"),
      ]);
      const groups = property(property(network, "groupSet"), "items", true);
      if (groups === null) continue;
      for (const group of asList(groups)) c.addValue(c.related, property(group, "groupId"));
    }
  }
  for (const i of c.list("requestParameters.revokedSecurityGroupRuleSet.items")) {
    c.addValues(c.related, [property(i, "securityGroupRuleId"), property(i, "groupId")]);
  }

  if (oneOf(name, "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress")) {
    c.addField(c.target, "requestParameters.groupId");
    for (const f of c.list("responseElements.securityGroupRuleSet.items")) {
      c.addValue(c.target, property(f, "securityGroupRuleId"));
    }
  } else if (name !== null && Object.hasOwn(TRAFFIC_MIRROR_TARGETS, name)) {
    c.addField(c.target, TRAFFIC_MIRROR_TARGETS[name]);
  } else if (name === "DeleteFlowLogs") {
    c.addField(c.target, "requestParameters.DeleteFlowLogsRequest.FlowLogId.content");
  } else if (name === "DeleteNetworkAcl") {
    c.addField(c.target, "requestParameters.networkAclId");
  } else if (name === "DeleteNetworkAclEntry") {
    c.addField(c.target, "requestParameters.networkAclId");
    const ruleNumber = c.get("requestParameters.ruleNumber");
    if (ruleNumber !== null) c.addValue(c.target, valueOf(ruleNumber));
  } else if (name === "GetPasswordData") {
    c.addField(c.target, "requestParameters.instanceId");
  } else if (name === "ModifyImageAttribute") {
    c.addField(c.target, "requestParameters.imageId");
  } else if (name === "ModifySnapshotAttribute") {
    c.addField(c.target, "requestParameters.snapshotId");
  } else if (
    oneOf(
      name,
      "DescribeSecurityGroups",
      "DescribeNetworkInterfaces",
      "DescribeRegions",
      "DescribeVpcs",
      "DescribeNetworkAcls",
      "DescribeVolumes",
    )
  ) {
    accountTarget(c);
  }
};

const iam: ServiceRule = (c, name) => {
  c.addFields(c.related, [
    "requestParameters.userName",
    "requestParameters.serialNumber",
    "requestParameters.accessKeyId",
    "requestParameters.policyArn",
    "requestParameters.roleName",
    "requestParameters.policyName",
    "requestParameters.serialNumber",
    "responseElements.accessKey.userName",
    "responseElements.accessKey.accessKeyId",
    "responseElements.user.arn",
    "responseElements.user.userId",
    "responseElements.user.userName",
    "responseElements.userId",
    "responseElements.role.arn",
    "responseElements.serialNumber",
  ]);
  if (name === "AttachGroupPolicy") c.addField(c.target, "requestParameters.groupName");
  else if (oneOf(name, "AttachRolePolicy", "ListAttachedRolePolicies", "UpdateAssumeRolePolicy")) {
    c.addField(c.target, "requestParameters.roleName");
  } else if (name === "AttachUserPolicy") {
    c.addFields(c.target, ["requestParameters.policyArn", "requestParameters.userName"]);
  } else if (name === "CreateAccessKey") {
    c.addFields(c.target, ["responseElements.accessKey.accessKeyId", "requestParameters.userName"]);
  } else if (oneOf(name, "CreateUser", "DeactivateMFADevice")) c.addField(c.target, "requestParameters.userName");
  else if (name === "DeleteVirtualMFADevice") c.addField(c.target, "requestParameters.serialNumber");
  else if (name === "GetPolicy") c.addField(c.target, "requestParameters.policyArn");
  else if (name === "CreatePolicy") c.addField(c.target, "responseElements.policy.arn");
  else if (oneOf(name, "ListRoles", "ListUsers")) accountTarget(c);
};

const lambda: ServiceRule = (c, name) => {
  c.addFields(c.related, [
    "requestParameters.functionName",
    "responseElements.functionArn",
    "responseElements.functionName",
    "responseElements.role",
  ]);
  c.addValues(c.related, c.get("responseElements.vpcConfig.securityGroupIds", []));
  c.addValues(c.related, c.get("responseElements.vpcConfig.subnetIds", []));
  if (name === null) return;
  // Lambda event names carry an API version suffix, hence `contains`.
  if (name.includes("AddPermission")) c.addField(c.target, "requestParameters.functionName");
  else if (name.includes("ListFunctions")) accountTarget(c);
};

const rds: ServiceRule = (c, name) => {
  c.addFields(c.related, [
    "requestParameters.dBInstanceIdentifier",
    "requestParameters.dBInstanceArn",
    "responseElements.dBInstanceIdentifier",
    "responseElements.dbInstanceArn",
    "responseElements.dBSubnetGroup.vpcId",
    "responseElements.vpcSecurityGroups.vpcSecurityGroupId",
  ]);
  for (const i of c.list("responseElements.dBSubnetGroup.subnets")) {
    c.addValue(c.related, property(i, "subnetIdentifier"));
  }
  for (const i of c.list("responseElements.vpcSecurityGroups")) {
    c.addValue(c.related, property(i, "vpcSecurityGroupId"));
  }
  if (oneOf(name, "DeleteDBCluster", "ModifyDBCluster", "StopDBCluster")) {
    c.addField(c.target, "responseElements.dBClusterArn");
  } else if (
    oneOf(
      name,
      "DeleteDBInstance",
      "ModifyDBInstance",
      "RestoreDBInstanceFromDBSnapshot",
      "RestoreDBInstanceFromS3",
      "StopDBInstance",
    )
  ) {
    c.addField(c.target, "responseElements.dBInstanceArn");
  } else if (name === "DeleteGlobalCluster") c.addField(c.target, "responseElements.globalClusterArn");
  else if (name === "ModifyDBClusterSnapshotAttribute") {
    c.addField(c.target, "responseElements.dBClusterSnapshotIdentifier");
  } else if (name === "ModifyDBSnapshotAttribute") c.addField(c.target, "responseElements.dBSnapshotIdentifier");
  else if (name === "DescribeDBInstances") accountTarget(c);
};

const s3: ServiceRule = (c, name) => {
  c.addField(c.related, "requestParameters.bucketName");
  const withResources = [
    "CopyObject",
    "PutBucketLogging",
    "PutBucketVersioning",
    "PutObject",
    "GetBucketPolicy",
    "ListObjects",
    "HeadObject",
    "GetObject",
    "DeleteObject",
    "DeleteBucket",
  ];
  if (oneOf(name, ...withResources)) resourceArns(c, c.target);
  else if (name === "PutBucketReplication") {
    resourceArns(c, c.target);
    c.addField(c.target, "requestParameters.ReplicationConfiguration.Rule.Destination.Bucket");
  } else if (name === "ListBuckets") accountTarget(c);
};

const ssm: ServiceRule = (c, name) => {
  if (oneOf(name, "GetParameter", "GetParameters", "CreateControlChannel", "OpenControlChannel")) {
    resourceArns(c, c.target);
  } else if (name === "StartSession") c.addField(c.target, "requestParameters.target");
  else if (name === "CreateDocument") c.addField(c.target, "requestParameters.name");
  else if (oneOf(name, "TerminateSession", "OpenDataChannel")) c.addField(c.target, "requestParameters.sessionId");
  else if (name === "SendCommand") {
    let instanceIds = asList(c.get("requestParameters.instanceIds", []));
    if (instanceIds.length === 0) {
      instanceIds = c.list("requestParameters.targets").flatMap((t) => asList(property(t, "values")));
    }
    // A single "*" means every instance: the account is the target.
    if (instanceIds.length === 1 && instanceIds[0] === "*") instanceIds = [c.get("recipientAccountId")];
    c.addValues(c.target, instanceIds);
  } else if (name === "ListInstanceAssociations") accountTarget(c);
};

const sts: ServiceRule = (c, name) => {
  c.addFields(c.related, [
    "requestParameters.roleArn",
    "sourceIdentity",
    "additionalEventData.MFAIdentifier",
    "responseElements.assumedRoleUser.arn",
    "requestParameters.roleSessionName",
    "responseElements.accessKeyId",
  ]);
  if (name === "AssumeRole") {
    const userType = c.get("userIdentity.type");
    if (userType === "AWSService") c.actor = c.get("userIdentity.invokedBy");
    else if (userType === "AssumedRole") c.actor = c.get("userIdentity.sessionContext.sessionIssuer.arn");
    else c.actor = c.get("userIdentity.arn");
    c.addField(c.target, "requestParameters.roleArn");
  } else if (name === "GetCallerIdentity") {
    accountTarget(c);
    c.actor = c.get("userIdentity.arn");
  }
};

/** eventName → target field, for the services whose rule is just that. */
const targetOnly = (targets: Record<string, string>): ServiceRule => {
  return (c, name) => {
    const path = name === null ? undefined : targets[name];
    if (path === "*account") accountTarget(c);
    else if (path !== undefined) c.addField(c.target, path);
  };
};

const cloudtrail: ServiceRule = (c, name) => {
  c.addFields(c.related, [
    "requestParameters.name",
    "requestParameters.s3BucketName",
    "responseElements.cloudWatchLogsLogGroupArn",
    "responseElements.cloudWatchLogsRoleArn",
    "responseElements.kmsKeyId",
    "responseElements.snsTopicARN",
    "responseElements.trailARN",
    "responseElements.name",
  ]);
  targetOnly({
    DeleteTrail: "requestParameters.name",
    StopLogging: "requestParameters.name",
    DescribeTrails: "*account",
  })(c, name);
};

const config: ServiceRule = (c, name) => {
  c.addField(c.related, "requestParameters.configurationRecorderName");
  targetOnly({
    StopConfigurationRecorder: "requestParameters.configurationRecorderName",
    StartConfigurationRecorder: "requestParameters.configurationRecorderName",
  })(c, name);
};

const guardduty: ServiceRule = (c, name) => {
  c.addFields(c.related, ["requestParameters.detectorId", "responseElements.detectorId"]);
  targetOnly({
    CreateDetector: "responseElements.detectorId",
    DeleteDetector: "requestParameters.detectorId",
  })(c, name);
};

const kms: ServiceRule = (c, name) => {
  c.addFields(c.related, [
    "requestParameters.keyId",
    "responseElements.keyId",
    "responseElements.keyMetadata.arn",
    "responseElements.keyMetadata.keyId",
  ]);
  if (oneOf(name, "DisableKey", "ScheduleKeyDeletion")) resourceArns(c, c.target);
};

const monitoring: ServiceRule = (c, name) => {
  if (name === "DeleteAlarms") for (const f of c.list("requestParameters.alarmNames")) c.addValue(c.target, f);
};

const secretsmanager: ServiceRule = (c, name) => {
  if (name === "BatchGetSecretValue") {
    for (const f of c.list("requestParameters.secretIdList")) c.addValue(c.target, f);
  } else if (name === "GetSecretValue") c.addField(c.target, "requestParameters.secretId");
};

const wafv2: ServiceRule = (c, name) => {
  c.addFields(c.related, ["requestParameters.id", "responseElements.summary"]);
  targetOnly({ DeleteRuleGroup: "requestParameters.id", DeleteWebACL: "requestParameters.id" })(c, name);
};

/** In the script's call order (only one matches an event, but the order is kept for clarity). */
export const SERVICE_RULES: [string, ServiceRule][] = [
  [
    "cloudformation.amazonaws.com",
    targetOnly({ CreateStackSet: "responseElements.stackSetId", CreateStack: "responseElements.stackId" }),
  ],
  ["cloudtrail.amazonaws.com", cloudtrail],
  ["config.amazonaws.com", config],
  [
    "ec2-instance-connect.amazonaws.com",
    targetOnly({
      SendSSHPublicKey: "requestParameters.instanceId",
      SendSerialConsoleSSHPublicKey: "requestParameters.instanceId",
    }),
  ],
  ["ec2.amazonaws.com", ec2],
  [
    "elasticfilesystem.amazonaws.com",
    targetOnly({
      DeleteFileSystem: "requestParameters.fileSystemId",
      DeleteMountTarget: "requestParameters.mountTargetId",
    }),
  ],
  ["events.amazonaws.com", targetOnly({ DeleteRule: "requestParameters.name" })],
  ["guardduty.amazonaws.com", guardduty],
  ["iam.amazonaws.com", iam],
  ["kms.amazonaws.com", kms],
  ["lambda.amazonaws.com", lambda],
  [
    "logs.amazonaws.com",
    targetOnly({
      DeleteLogGroup: "requestParameters.logGroupName",
      DeleteLogStream: "requestParameters.logStreamName",
    }),
  ],
  ["monitoring.amazonaws.com", monitoring],
  ["rds.amazonaws.com", rds],
  ["rolesanywhere.amazonaws.com", targetOnly({ CreateTrustAnchor: "responseElements.trustAnchor.trustAnchorArn" })],
  [
    "route53resolver.amazonaws.com",
    targetOnly({ DeleteResolverQueryLogConfig: "responseElements.resolverQueryLogConfig.arn" }),
  ],
  ["s3.amazonaws.com", s3],
  ["secretsmanager.amazonaws.com", secretsmanager],
  ["signin.amazonaws.com", targetOnly({ ConsoleLogin: "*account" })],
  ["ssm.amazonaws.com", ssm],
  ["sts.amazonaws.com", sts],
  ["wafv2.amazonaws.com", wafv2],
  [
    "sns.amazonaws.com",
    targetOnly({
      CreateTopic: "responseElements.topicArn",
      Subscribe: "requestParameters.topicArn",
      Publish: "requestParameters.topicArn",
    }),
  ],
  ["bedrock.amazonaws.com", targetOnly({ Converse: "requestParameters.modelId" })],
  ["elasticloadbalancing.amazonaws.com", targetOnly({ DescribeLoadBalancers: "*account" })],
  ["dynamodb.amazonaws.com", targetOnly({ ListTables: "*account" })],
];
