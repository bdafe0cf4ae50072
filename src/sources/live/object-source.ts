/**
 * A live source of CloudTrail objects for `watch`: a directory, an S3 prefix or an SQS queue of S3 notifications.
 * A source may offer the same object again (re-scan windows, redelivered messages); the caller keeps what it has read
 * and skips repeats by `id`, so sources stay stateless apart from their own cursors.
 */
export interface ObjectRef {
  /** Stable identity of this version of the object, e.g. `s3://bucket/key#etag` or `file:/path#size:mtime`. */
  id: string;
  /** The object's key or path; its S3-layout name tells account, region and delivery time. */
  name: string;
  size: number;
  /** When the object appeared (S3 LastModified, file mtime), epoch ms. */
  modifiedAt: number;
}

export interface ObjectSource {
  /** For messages and status lines: `s3://bucket/prefix`, `sqs:<queue url>`, the directory path. */
  readonly description: string;
  /** Objects that may be new since the last poll. `now` is injected so tests control time. */
  poll(now: number): Promise<ObjectRef[]>;
  /** The object's bytes, as stored (gzip or not). */
  read(ref: ObjectRef): Promise<Buffer>;
  /** Called once the object is fully processed and its results are durable (SQS deletes the message here). */
  done(ref: ObjectRef): Promise<void>;
  close(): Promise<void>;
}
