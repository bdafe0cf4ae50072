/**
 * Principals and their temporary sessions, with the `userIdentity` JSON each renders, built once per session since
 * every call of the session repeats it.
 */
import type { Random } from "./random.ts";
import { isoSeconds } from "./time-format.ts";

export interface Role {
  account: string;
  /** With its path, if any: "aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS". */
  name: string;
  /** AROA… unique id of the role. */
  id: string;
}

export interface Session {
  role: Role;
  name: string;
  accessKeyId: string;
  created: number;
  expires: number;
  /** The rendered `userIdentity` of calls made with this session. */
  identity: string;
  arn: string;
}

export type SessionKind =
  | { kind: "web-identity"; provider: string }
  | { kind: "ec2" }
  | { kind: "plain" };

export function makeRole(rng: Random, account: string, name: string): Role {
  return { account, name, id: `AROA${rng.keyChars(17)}` };
}

export const roleArn = (r: Role) => `arn:aws:iam::${r.account}:role/${r.name}`;

export function openSession(
  rng: Random,
  role: Role,
  name: string,
  created: number,
  durationSeconds: number,
  kind: SessionKind,
): Session {
  const accessKeyId = `ASIA${rng.keyChars(16)}`;
  // Session ARNs and the issuer's userName carry the role name without its path.
  const shortName = role.name.slice(role.name.lastIndexOf("/") + 1);
  const arn = `arn:aws:sts::${role.account}:assumed-role/${shortName}/${name}`;
  const extra =
    kind.kind === "web-identity"
      ? `,"webIdFederationData":{"federatedProvider":"${kind.provider}","attributes":{}}`
      : kind.kind === "ec2"
        ? `,"ec2RoleDelivery":"2.0"`
        : "";
  const identity =
    `{"type":"AssumedRole","principalId":"${role.id}:${name}","arn":"${arn}","accountId":"${role.account}",` +
    `"accessKeyId":"${accessKeyId}","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"${role.id}",` +
    `"arn":"${roleArn(role)}","accountId":"${role.account}","userName":"${shortName}"}${extra},` +
    `"attributes":{"creationDate":"${isoSeconds(created)}","mfaAuthenticated":"false"}}}`;
  return { role, name, accessKeyId, created, expires: created + durationSeconds * 1000, identity: flatCopy(identity), arn };
}

/**
 * A string built by concatenation is a tree of pieces that V8 walks again each time a record containing it is
 * encoded; a session's identity goes into every call of the session, so it is made one flat string up front.
 */
const flatCopy = (text: string) => Buffer.from(text).toString();

/** The same session seen through a service acting on the caller's behalf (e.g. KMS called by Secrets Manager). */
export function onBehalfIdentity(session: Session, service: string): string {
  return `${session.identity.slice(0, -1)},"invokedBy":"${service}"}`;
}

export const serviceIdentity = (service: string) => `{"type":"AWSService","invokedBy":"${service}"}`;

export function webIdentityUser(provider: string, subject: string): string {
  return `{"type":"WebIdentityUser","principalId":"${provider}:sts.amazonaws.com:${subject}","userName":"${subject}","identityProvider":"${provider}"}`;
}

export const sessionToken = (rng: Random) => `IQoJb3JpZ2luX2VjE${rng.alnum(24)}//////////wEaCXVzLWVhc3QtMSJHMEUCIQ${rng.alnum(120)}`;
