/**
 * The pipeline's "Add ECS categorization" table (fork @1bc21c5b), with the #20403 fixes applied: DeleteObject is a
 * deletion and Publish / SendCommand / Converse get info / start / info instead of an empty type.
 */
export interface Categorization {
  category: readonly string[];
  type: readonly string[];
}

const GROUPS: [category: string[], type: string[], actions: string[]][] = [
  [
    ["iam"],
    ["group", "change"],
    [
      "AddUserToGroup",
      "AttachGroupPolicy",
      "DeleteGroupPolicy",
      "DetachGroupPolicy",
      "PutGroupPolicy",
      "RemoveUserFromGroup",
      "UpdateGroup",
    ],
  ],
  [["authentication"], ["info"], ["AssumeRole", "ConsoleLogin", "GetCallerIdentity"]],
  [
    ["iam"],
    ["user", "change"],
    [
      "AttachUserPolicy",
      "ChangePassword",
      "CreateAccessKey",
      "CreateVirtualMFADevice",
      "DeactivateMFADevice",
      "DeleteAccessKey",
      "DeleteSSHPublicKey",
      "DeleteUserPermissionsBoundary",
      "DeleteUserPolicy",
      "DeleteVirtualMFADevice",
      "DetachUserPolicy",
      "EnableMFADevice",
      "PutUserPermissionsBoundary",
      "PutUserPolicy",
      "TagUser",
      "UntagUser",
      "UpdateAccessKey",
      "UpdateLoginProfile",
      "UpdateSSHPublicKey",
      "UpdateUser",
    ],
  ],
  [["file"], ["creation"], ["CreateBucket", "CreateDocument"]],
  [["iam"], ["group", "creation"], ["CreateGroup"]],
  [["iam"], ["admin", "creation"], ["CreateKeyPair"]],
  [["iam"], ["user", "creation"], ["CreateUser"]],
  [["file"], ["deletion"], ["DeleteBucket", "DeleteObject"]],
  [["iam"], ["group", "deletion"], ["DeleteGroup"]],
  [["iam"], ["user", "deletion"], ["DeleteUser"]],
  [
    ["iam"],
    ["group", "info"],
    ["GetGroup", "GetGroupPolicy", "ListAttachedGroupPolicies", "ListGroupPolicies", "ListGroups"],
  ],
  [
    ["iam"],
    ["user", "info"],
    [
      "GetUser",
      "GetUserPolicy",
      "ListAttachedUserPolicies",
      "ListGroupsForUser",
      "ListUserPolicies",
      "ListUsers",
      "ListUserTags",
    ],
  ],
  [
    ["iam"],
    ["admin", "change"],
    ["SetDefaultPolicyVersion", "SetSecurityTokenServicePreferences", "UpdateAccountPasswordPolicy", "UpdateRole"],
  ],
  [["host"], ["info"], ["DescribeInstances", "DescribeVolumes", "ListInstanceAssociations"]],
  [
    ["network"],
    ["info"],
    [
      "DescribeSecurityGroups",
      "DescribeNetworkInterfaces",
      "DescribeVpcs",
      "DescribeNetworkAcls",
      "DescribeLoadBalancers",
    ],
  ],
  [["file"], ["info"], ["ListBuckets", "ListObjects", "HeadObject", "GetObject"]],
  [["api"], ["info"], ["DescribeRegions", "Publish", "Converse"]],
  [["iam"], ["info"], ["ListRoles", "GetPolicy", "ListAttachedRolePolicies"]],
  [["configuration"], ["info"], ["DescribeTrails"]],
  [["package"], ["info"], ["ListFunctions"]],
  [["database"], ["info"], ["ListTables", "DescribeDBInstances"]],
  [["network"], ["access"], ["AuthorizeSecurityGroupIngress"]],
  [["configuration"], ["creation"], ["CreateTopic"]],
  [["configuration"], ["change"], ["Subscribe"]],
  [["process"], ["start"], ["SendCommand"]],
  [["iam"], ["creation"], ["CreatePolicy"]],
  [["iam"], ["change"], ["AttachRolePolicy"]],
  [
    ["session"],
    ["start"],
    ["StartSession", "CreateControlChannel", "OpenControlChannel", "CreateDataChannel", "OpenDataChannel"],
  ],
  [["session"], ["end"], ["TerminateSession"]],
  [["file"], ["change"], ["PutObject"]],
  [["configuration"], ["deletion"], ["DeleteTrail"]],
];

export const CATEGORIZATION: ReadonlyMap<string, Categorization> = new Map(
  GROUPS.flatMap(([category, type, actions]) => actions.map((a): [string, Categorization] => [a, { category, type }])),
);
