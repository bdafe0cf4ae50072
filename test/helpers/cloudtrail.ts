/**
 * Small hand-written CloudTrail records for tests: each helper builds one record shaped as CloudTrail writes it, so a
 * test states only what matters for the behaviour it shows.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export type CloudTrailRecord = Record<string, unknown>;

export const ACCOUNT = "111122223333";
export const AMAZON_IP = "3.2.34.17";
export const OUTSIDE_IP = "5.101.100.23";
export const OUTSIDE_IPV6 = "2a03:b0c0:3:d0::1";
const OIDC = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789`;
let counter = 0;

export function webIdentityAssume(opts: {
  at: string;
  key?: string;
  subject?: string;
  ip?: string;
  failed?: boolean;
  eventID?: string;
}): CloudTrailRecord {
  const subject = opts.subject ?? "system:serviceaccount:payments:api";
  const record: CloudTrailRecord = {
    eventVersion: "1.08",
    userIdentity: {
      type: "WebIdentityUser",
      principalId: `${OIDC}:sts.amazonaws.com:${subject}`,
      userName: subject,
      identityProvider: OIDC,
    },
    eventTime: opts.at,
    eventSource: "sts.amazonaws.com",
    eventName: "AssumeRoleWithWebIdentity",
    awsRegion: "us-east-1",
    sourceIPAddress: opts.ip ?? AMAZON_IP,
    userAgent: "aws-sdk-go-v2/1.36.3 os/linux lang/go#1.23.6",
    requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/app`, roleSessionName: "s1", durationSeconds: 3600 },
    responseElements: opts.failed
      ? null
      : {
          credentials: {
            accessKeyId: opts.key ?? "ASIATESTKEY000000001",
            sessionToken: "TOKEN",
            expiration: "Nov 20, 2026, 11:00:00 AM",
          },
          subjectFromWebIdentityToken: subject,
          assumedRoleUser: { assumedRoleId: "AROATEST:s1", arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/s1` },
          provider: OIDC,
          audience: "sts.amazonaws.com",
        },
    requestID: `req-${++counter}`,
    eventID: opts.eventID ?? `evt-${counter}`,
    readOnly: true,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: "Management",
  };
  if (opts.failed) {
    record.errorCode = "AccessDenied";
    record.errorMessage = "Not authorized to perform sts:AssumeRoleWithWebIdentity";
  }
  return record;
}

export function assumedRoleCall(opts: {
  at: string;
  action: string;
  key?: string;
  source?: string;
  ip?: string;
  eventID?: string;
}): CloudTrailRecord {
  return {
    eventVersion: "1.08",
    userIdentity: {
      type: "AssumedRole",
      principalId: "AROATEST:s1",
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/s1`,
      accountId: ACCOUNT,
      accessKeyId: opts.key ?? "ASIATESTKEY000000001",
      sessionContext: {
        sessionIssuer: {
          type: "Role",
          principalId: "AROATEST",
          arn: `arn:aws:iam::${ACCOUNT}:role/app`,
          accountId: ACCOUNT,
          userName: "app",
        },
        webIdFederationData: { federatedProvider: OIDC, attributes: {} },
        attributes: { creationDate: opts.at, mfaAuthenticated: "false" },
      },
    },
    eventTime: opts.at,
    eventSource: opts.source ?? "iam.amazonaws.com",
    eventName: opts.action,
    awsRegion: "us-east-1",
    sourceIPAddress: opts.ip ?? AMAZON_IP,
    userAgent: "aws-cli/2.22.10 Python/3.12.6 Linux/6.1.119",
    requestParameters: null,
    responseElements: null,
    requestID: `req-${++counter}`,
    eventID: opts.eventID ?? `evt-${counter}`,
    readOnly: true,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: "Management",
  };
}

/** Writes each group of records as one CloudTrail file; returns the directory. */
export function writeArchive(files: CloudTrailRecord[][]): string {
  const dir = mkdtempSync(join(tmpdir(), "tw-archive-"));
  files.forEach((records, i) => {
    writeFileSync(
      join(dir, `${ACCOUNT}_CloudTrail_us-east-1_file${i}.json.gz`),
      gzipSync(JSON.stringify({ Records: records })),
    );
  });
  return dir;
}
