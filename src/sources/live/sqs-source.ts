/**
 * An SQS queue of S3 notifications about new CloudTrail files. A message is deleted only when every object it names
 * is done (processed and its results durable), so a crash before that leaves it to be redelivered after its
 * visibility timeout; the caller skips objects it has already read and still calls `done`, which deletes it then.
 */
import { GetObjectCommand, S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
  type SQSClientConfig,
} from "@aws-sdk/client-sqs";
import type { ObjectRef, ObjectSource } from "./object-source.ts";
import { parseNotification } from "./s3-notification.ts";
import { parseS3ObjectId, s3ObjectId } from "./s3-location.ts";

export interface SqsSourceOptions {
  /** ReceiveMessage long-poll wait; default 20 s (the maximum), 0 in tests. */
  waitTimeSeconds?: number;
  /** Messages per ReceiveMessage, 1–10; default 10. */
  maxMessages?: number;
  /** S3- and SQS-compatible endpoints (e.g. LocalStack); S3 then uses path-style addressing. */
  endpoint?: string;
  sqsConfig?: SQSClientConfig;
  s3Config?: S3ClientConfig;
  /** Malformed messages and failed deletions; the source goes on. */
  onProblem?: (message: string) => void;
}

interface PendingMessage {
  receiptHandle: string;
  /** Ids of the message's objects not yet done. */
  pending: Set<string>;
}

export class SqsSource implements ObjectSource {
  readonly description: string;
  private readonly sqs: SQSClient;
  private readonly s3: S3Client;
  private queueUrl?: string;
  private readonly messages = new Map<string, PendingMessage>();
  /** Object id → ids of the messages naming it (duplicate notifications name the same object twice). */
  private readonly messagesOf = new Map<string, Set<string>>();

  constructor(
    private readonly queue: string,
    private readonly options: SqsSourceOptions = {},
  ) {
    this.description = `sqs:${queue}`;
    if (/^https?:\/\//.test(queue)) this.queueUrl = queue;
    const endpoint = options.endpoint ? { endpoint: options.endpoint } : {};
    this.sqs = new SQSClient({ region: regionOfQueueUrl(queue), ...endpoint, ...options.sqsConfig });
    this.s3 = new S3Client({
      followRegionRedirects: true,
      ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
      ...options.s3Config,
    });
  }

  async poll(now: number): Promise<ObjectRef[]> {
    const queueUrl = await this.resolveQueueUrl();
    const received = await this.call("ReceiveMessage", () =>
      this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: this.options.maxMessages ?? 10,
          WaitTimeSeconds: this.options.waitTimeSeconds ?? 20,
        }),
      ),
    );
    const offered = new Map<string, ObjectRef>();
    for (const message of received.Messages ?? []) {
      if (!message.MessageId || !message.ReceiptHandle) continue;
      let notification: ReturnType<typeof parseNotification>;
      try {
        notification = parseNotification(message.Body ?? "");
      } catch (err) {
        // Left on the queue, not deleted: it may be a notification this version does not understand, and deleting
        // would lose a CloudTrail file for good. The queue's visibility timeout and redrive policy (a dead-letter
        // queue after maxReceiveCount) are the user's remedy for a message that never parses.
        this.problem(`message ${message.MessageId}: ${(err as Error).message}; left on the queue`);
        continue;
      }
      const refs =
        notification.kind === "test"
          ? []
          : notification.objects.map((o) => ({
              id: s3ObjectId(o.bucket, o.key, o.etag),
              name: o.key,
              size: o.size,
              modifiedAt: o.eventTime || now,
            }));
      if (!refs.length) {
        await this.deleteMessage(message.MessageId, message.ReceiptHandle);
        continue;
      }
      // A redelivered message keeps what was already done; only its receipt handle is new.
      const pending = this.messages.get(message.MessageId)?.pending ?? new Set(refs.map((r) => r.id));
      this.messages.set(message.MessageId, { receiptHandle: message.ReceiptHandle, pending });
      for (const ref of refs) {
        const owners = this.messagesOf.get(ref.id) ?? new Set<string>();
        owners.add(message.MessageId);
        this.messagesOf.set(ref.id, owners);
        offered.set(ref.id, ref);
      }
    }
    return [...offered.values()];
  }

  async read(ref: ObjectRef): Promise<Buffer> {
    const { bucket, key } = parseS3ObjectId(ref.id);
    let response;
    try {
      response = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    } catch (err) {
      throw new Error(`s3://${bucket}/${key}: ${(err as Error).name}: ${(err as Error).message}`, { cause: err });
    }
    if (!response.Body) throw new Error(`s3://${bucket}/${key}: empty response body`);
    return Buffer.from(await response.Body.transformToByteArray());
  }

  async done(ref: ObjectRef): Promise<void> {
    const owners = this.messagesOf.get(ref.id);
    if (!owners) return;
    this.messagesOf.delete(ref.id);
    for (const messageId of owners) {
      const message = this.messages.get(messageId);
      if (!message) continue;
      message.pending.delete(ref.id);
      if (message.pending.size === 0) await this.deleteMessage(messageId, message.receiptHandle);
    }
  }

  async close(): Promise<void> {
    this.sqs.destroy();
    this.s3.destroy();
  }

  private async deleteMessage(messageId: string, receiptHandle: string): Promise<void> {
    this.messages.delete(messageId);
    try {
      const queueUrl = await this.resolveQueueUrl();
      await this.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }));
    } catch (err) {
      // Not fatal: the message comes back after its visibility timeout, its objects are skipped as already read,
      // and their `done` deletes it then.
      this.problem(`message ${messageId}: could not delete: ${(err as Error).message}`);
    }
  }

  private async resolveQueueUrl(): Promise<string> {
    this.queueUrl ??= (
      await this.call("GetQueueUrl", () => this.sqs.send(new GetQueueUrlCommand({ QueueName: this.queue })))
    ).QueueUrl;
    if (!this.queueUrl) throw new Error(`${this.description}: GetQueueUrl returned no URL`);
    return this.queueUrl;
  }

  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw new Error(`${this.description}: ${operation}: ${(err as Error).name}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  /** The caller knows which source reported, so messages start with the SQS message id. */
  private problem(message: string) {
    this.options.onProblem?.(message);
  }
}

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` (legacy: `<region>.queue.amazonaws.com`) names its region. */
export function regionOfQueueUrl(queue: string): string | undefined {
  const host = /^https?:\/\/([^/]+)/.exec(queue)?.[1] ?? "";
  return /^sqs\.([a-z0-9-]+)\.amazonaws\.com/.exec(host)?.[1] ?? /^([a-z0-9-]+)\.queue\.amazonaws\.com/.exec(host)?.[1];
}
