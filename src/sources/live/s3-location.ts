/** `s3://bucket/prefix` and `s3://bucket/key#etag` object ids, shared by the S3 and SQS sources. */

export interface S3Location {
  bucket: string;
  /** Key prefix without a leading slash; empty for the whole bucket. */
  prefix: string;
}

export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match) throw new Error(`${url}: not an S3 location, expected s3://bucket/prefix`);
  const bucket = match[1];
  // Bucket naming rules (lower-case letters, digits, dots, hyphens, 3–63 characters) catch typos like s3://My_Bucket.
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new Error(`${url}: "${bucket}" is not a valid bucket name`);
  }
  return { bucket, prefix: match[2] };
}

export function s3ObjectId(bucket: string, key: string, etag: string): string {
  return `s3://${bucket}/${key}#${etag.replace(/"/g, "")}`;
}

/** Inverse of `s3ObjectId`; keys may contain `#`, ETags never do. */
export function parseS3ObjectId(id: string): { bucket: string; key: string } {
  const hash = id.lastIndexOf("#");
  const path = id.slice("s3://".length, hash < 0 ? undefined : hash);
  const slash = path.indexOf("/");
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}
