/** The credential exchanges that start sessions: IRSA's web-identity exchange and EKS Pod Identity's. */
import type { ApiContext } from "./apis.ts";
import type { CallShape } from "./record.ts";
import { openSession, type Role, roleArn, type Session, sessionToken } from "./session.ts";
import { javaDate } from "./time-format.ts";

export interface WebIdentityExchange {
  call: CallShape;
  /** The session the exchange issued; undefined when it was denied. */
  session?: Session;
}

/** sts:AssumeRoleWithWebIdentity with a projected service-account token, as an IRSA pod's SDK makes it. */
export function assumeRoleWithWebIdentity(
  c: ApiContext,
  role: Role,
  provider: string,
  subject: string,
  sessionName: string,
  durationSeconds: number,
  denied = false,
): WebIdentityExchange {
  const arn = roleArn(role);
  const call: CallShape = {
    source: "sts.amazonaws.com",
    name: "AssumeRoleWithWebIdentity",
    readOnly: true,
    request: `{"roleArn":"${arn}","roleSessionName":"${sessionName}","durationSeconds":${durationSeconds}}`,
    response: "null",
    resources: `[{"accountId":"${role.account}","type":"AWS::IAM::Role","ARN":"${arn}"}]`,
    additional: `{"identityProviderConnectionVerificationMethod":"IAMTrustStore"}`,
    host: `sts.${c.region}.amazonaws.com`,
  };
  if (denied) {
    call.error = { code: "AccessDenied", message: "Not authorized to perform sts:AssumeRoleWithWebIdentity" };
    return { call };
  }
  const session = openSession(c.rng, role, sessionName, c.time, durationSeconds, { kind: "web-identity", provider });
  call.response =
    `{"credentials":{"accessKeyId":"${session.accessKeyId}","sessionToken":"${sessionToken(c.rng)}",` +
    `"expiration":"${javaDate(session.expires)}"},"subjectFromWebIdentityToken":"${subject}",` +
    `"assumedRoleUser":{"assumedRoleId":"${role.id}:${sessionName}","arn":"${session.arn}"},` +
    `"provider":"${provider}","audience":"sts.amazonaws.com"}`;
  return { call, session };
}

/** eks-auth:AssumeRoleForPodIdentity, called by the Pod Identity agent on the node with the node role. */
export function assumeRoleForPodIdentity(c: ApiContext): CallShape {
  return {
    source: "eks-auth.amazonaws.com",
    name: "AssumeRoleForPodIdentity",
    readOnly: true,
    request: `{"clusterName":"${c.cluster}","token":"HIDDEN_DUE_TO_SECURITY_REASONS"}`,
    response: "null",
    host: `eks-auth.${c.region}.api.aws`,
  };
}

/** The sts:AssumeRole that pods.eks.amazonaws.com makes for a Pod Identity association, with its session tags. */
export function podIdentityAssumeRole(
  c: ApiContext,
  role: Role,
  namespace: string,
  serviceAccount: string,
  pod: string,
): { call: CallShape; session: Session } {
  const arn = roleArn(role);
  const name = `eks-${c.cluster.slice(0, 10)}-${pod.slice(0, 20)}-${c.rng.uuid()}`;
  const session = openSession(c.rng, role, name, c.time, 21600, { kind: "plain" });
  const clusterArn = `arn:aws:eks:${c.region}:${c.account}:cluster/${c.cluster}`;
  const tags: [string, string][] = [
    ["eks-cluster-arn", clusterArn],
    ["eks-cluster-name", c.cluster],
    ["kubernetes-namespace", namespace],
    ["kubernetes-service-account", serviceAccount],
    ["kubernetes-pod-name", pod],
    ["kubernetes-pod-uid", c.rng.uuid()],
  ];
  const call: CallShape = {
    source: "sts.amazonaws.com",
    name: "AssumeRole",
    readOnly: true,
    request:
      `{"roleArn":"${arn}","roleSessionName":"${name}","durationSeconds":21600,"tags":[${tags.map(([k, v]) => `{"key":"${k}","value":"${v}"}`).join(",")}],` +
      `"transitiveTagKeys":[${tags.map(([k]) => `"${k}"`).join(",")}]}`,
    response:
      `{"credentials":{"accessKeyId":"${session.accessKeyId}","sessionToken":"${sessionToken(c.rng)}","expiration":"${javaDate(session.expires)}"},` +
      `"assumedRoleUser":{"assumedRoleId":"${role.id}:${name}","arn":"${session.arn}"},"packedPolicySize":56}`,
    resources: `[{"accountId":"${role.account}","type":"AWS::IAM::Role","ARN":"${arn}"}]`,
  };
  return { call, session };
}

/** sts:AssumeRole made by an AWS service for a role it operates (EC2 delivering an instance profile, EKS, …). */
export function serviceAssumeRole(
  c: ApiContext,
  role: Role,
  sessionName: string,
  durationSeconds: number,
  kind: "ec2" | "plain",
): { call: CallShape; session: Session } {
  const arn = roleArn(role);
  const session = openSession(c.rng, role, sessionName, c.time, durationSeconds, { kind });
  const call: CallShape = {
    source: "sts.amazonaws.com",
    name: "AssumeRole",
    readOnly: true,
    request: `{"roleArn":"${arn}","roleSessionName":"${sessionName}"}`,
    response: `{"credentials":{"accessKeyId":"${session.accessKeyId}","sessionToken":"${sessionToken(c.rng)}","expiration":"${javaDate(session.expires)}"}}`,
    resources: `[{"accountId":"${role.account}","type":"AWS::IAM::Role","ARN":"${arn}"}]`,
  };
  return { call, session };
}
