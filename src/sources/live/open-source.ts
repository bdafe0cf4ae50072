/**
 * The live source a `watch` argument names: `s3://bucket/prefix`, `sqs://<queue name or URL>`, an SQS queue URL
 * (`https://sqs.<region>.amazonaws.com/<account>/<name>`), or else a local directory.
 */
import { stat } from "node:fs/promises";
import { DirectorySource } from "./directory-source.ts";
import type { ObjectSource } from "./object-source.ts";
import { parseS3Url } from "./s3-location.ts";
import { S3Source } from "./s3-source.ts";
import { SqsSource } from "./sqs-source.ts";

export interface OpenSourceOptions {
  /** S3/SQS-compatible endpoint (`--endpoint`). */
  endpoint?: string;
  /** Account ids to watch in an S3 source (`--accounts`). */
  accounts?: string[];
  /** How far back an S3 source re-lists day prefixes; default 24 h. */
  rescanWindowMs?: number;
  /** SQS long-poll wait; default 20 s. */
  sqsWaitSeconds?: number;
  /** Problems a source reports and survives (malformed messages, unreadable subdirectories). */
  onProblem?: (message: string) => void;
}

/** A source argument that names nothing watchable; the message says what is wrong. */
export class SourceSpecError extends Error {
  override name = "SourceSpecError";
}

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}(\.fifo)?$/;

export async function openSource(spec: string, options: OpenSourceOptions = {}): Promise<ObjectSource> {
  if (spec.startsWith("s3://")) {
    try {
      parseS3Url(spec);
    } catch (err) {
      throw new SourceSpecError((err as Error).message);
    }
    return new S3Source(spec, options);
  }
  if (spec.startsWith("sqs://")) return sqsSource(spec, spec.slice("sqs://".length), options);
  if (/^https?:\/\//.test(spec)) {
    if (!isQueueUrl(spec)) {
      throw new SourceSpecError(
        `${spec}: an http(s) source must be an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<queue>)`,
      );
    }
    return sqsSource(spec, spec, options);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
    throw new SourceSpecError(`${spec}: unknown source scheme; use s3://bucket/prefix, sqs://queue or a directory`);
  }
  let info;
  try {
    info = await stat(spec);
  } catch {
    throw new SourceSpecError(`${spec}: no such directory`);
  }
  if (!info.isDirectory()) throw new SourceSpecError(`${spec}: not a directory; watch polls a directory for new files`);
  return new DirectorySource(spec, { onProblem: options.onProblem });
}

function sqsSource(spec: string, queue: string, options: OpenSourceOptions): SqsSource {
  let target = queue;
  if (!/^https?:\/\//.test(target) && target.includes("/")) target = `https://${target}`;
  if (/^https?:\/\//.test(target)) {
    if (!/^https?:\/\/[^/]+\/\d{12}\/[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(target) && !options.endpoint) {
      throw new SourceSpecError(
        `${spec}: not an SQS queue URL; expected https://sqs.<region>.amazonaws.com/<account>/<queue>`,
      );
    }
  } else if (!QUEUE_NAME.test(target)) {
    throw new SourceSpecError(
      `${spec}: "${target}" is not a queue name (1–80 letters, digits, - or _, optionally .fifo) nor a queue URL`,
    );
  }
  return new SqsSource(target, {
    endpoint: options.endpoint,
    waitTimeSeconds: options.sqsWaitSeconds,
    onProblem: options.onProblem,
  });
}

function isQueueUrl(url: string): boolean {
  return /^https?:\/\/(sqs\.[a-z0-9-]+\.amazonaws\.com|[a-z0-9-]+\.queue\.amazonaws\.com)(\.cn)?\//.test(url);
}
