/**
 * An S3 prefix holding a trail's delivery layout, polled with ListObjectsV2. CloudTrail delivers late and out of
 * order, so each poll lists the whole day prefixes the re-scan window touches (`…/CloudTrail/<region>/YYYY/MM/DD/`,
 * by default today's and yesterday's) and offers every object in them; the caller skips ids it has read. A "start
 * after the last key" cursor would skip any file delivered late with a smaller key. Accounts and regions are
 * discovered by delimiter listing on every poll, so a newly enabled region or account is picked up.
 */
import {
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandInput,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import type { ObjectRef, ObjectSource } from "./object-source.ts";
import { parseS3ObjectId, parseS3Url, s3ObjectId } from "./s3-location.ts";

export interface S3SourceOptions {
  /** Only these account ids (organisation trails hold many). */
  accounts?: string[];
  /** How far back each poll re-lists day prefixes; default 24 h. */
  rescanWindowMs?: number;
  /** An S3-compatible server; implies path-style addressing. */
  endpoint?: string;
  /** Extra client settings (region, credentials); by default everything comes from the SDK's default chain. */
  clientConfig?: S3ClientConfig;
}

export const DEFAULT_RESCAN_WINDOW_MS = 24 * 3600_000;
const DAY_MS = 24 * 3600_000;
const ACCOUNT_ID = /^\d{12}$/;
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

export class S3Source implements ObjectSource {
  readonly description: string;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly client: S3Client;
  private readonly accounts?: Set<string>;
  private readonly rescanWindowMs: number;
  private delimiterBroken = false;

  constructor(url: string, options: S3SourceOptions = {}) {
    const location = parseS3Url(url);
    this.bucket = location.bucket;
    this.prefix = location.prefix === "" || location.prefix.endsWith("/") ? location.prefix : `${location.prefix}/`;
    this.description = `s3://${this.bucket}/${this.prefix}`;
    this.accounts = options.accounts?.length ? new Set(options.accounts) : undefined;
    this.rescanWindowMs = options.rescanWindowMs ?? DEFAULT_RESCAN_WINDOW_MS;
    const endpoint = options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {};
    this.client = new S3Client({ followRegionRedirects: true, ...endpoint, ...options.clientConfig });
  }

  async poll(now: number): Promise<ObjectRef[]> {
    const refs: ObjectRef[] = [];
    const days = dayPaths(now - this.rescanWindowMs, now);
    for (const regionPrefix of await this.regionPrefixes()) {
      for (const day of days) refs.push(...(await this.listObjects(regionPrefix + day)));
    }
    return refs;
  }

  async read(ref: ObjectRef): Promise<Buffer> {
    const { bucket, key } = parseS3ObjectId(ref.id);
    const response = await this.call(`s3://${bucket}/${key}`, () =>
      this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key })),
    );
    if (!response.Body) throw new Error(`s3://${bucket}/${key}: empty response body`);
    return Buffer.from(await response.Body.transformToByteArray());
  }

  async done(_ref: ObjectRef): Promise<void> {}

  async close(): Promise<void> {
    this.client.destroy();
  }

  /** Every `…/CloudTrail/<region>/` prefix under the source's prefix, for the accounts asked for. */
  private async regionPrefixes(): Promise<string[]> {
    const prefix = this.prefix;
    const last = lastSegment(prefix);
    if (/(^|\/)CloudTrail\/[^/]+\/$/.test(prefix)) return [prefix];
    if (last === "CloudTrail") return this.childPrefixes(prefix);
    if (last === "AWSLogs" || ACCOUNT_ID.test(last) || ORGANIZATION_ID.test(last)) return this.underOwner(prefix);
    return this.underOwner(`${prefix}AWSLogs/`);
  }

  /** Walks `AWSLogs/`, `AWSLogs/<account>/` or `AWSLogs/<org-id>/[<account>/]` down to the region prefixes. */
  private async underOwner(prefix: string): Promise<string[]> {
    const last = lastSegment(prefix);
    if (ACCOUNT_ID.test(last)) {
      if (this.accounts && !this.accounts.has(last)) return [];
      return this.childPrefixes(`${prefix}CloudTrail/`);
    }
    const out: string[] = [];
    for (const child of await this.childPrefixes(prefix)) {
      const segment = lastSegment(child);
      if (ACCOUNT_ID.test(segment) || (last === "AWSLogs" && ORGANIZATION_ID.test(segment))) {
        out.push(...(await this.underOwner(child)));
      }
    }
    return out;
  }

  /**
   * The "directories" right under `prefix`, by delimiter listing. Some S3-compatible servers (s3rver 3.7) return no
   * common prefixes for keys nested deeper than one level; when a delimiter listing comes back empty but a plain
   * listing finds nested keys, this source derives children from plain listings from then on. On S3 the extra
   * listing only happens for an empty prefix.
   */
  private async childPrefixes(prefix: string): Promise<string[]> {
    if (!this.delimiterBroken) {
      const found = await this.delimiterChildren(prefix);
      if (found.children.length || found.hadObjects) return found.children;
    }
    const derived = await this.derivedChildren(prefix);
    if (derived.length) this.delimiterBroken = true;
    return derived;
  }

  private async delimiterChildren(prefix: string): Promise<{ children: string[]; hadObjects: boolean }> {
    const children: string[] = [];
    let hadObjects = false;
    let token: string | undefined;
    do {
      const page = await this.list(prefix, { Delimiter: "/", ContinuationToken: token });
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix) children.push(p.Prefix);
      hadObjects ||= (page.Contents ?? []).length > 0;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return { children, hadObjects };
  }

  private async derivedChildren(prefix: string): Promise<string[]> {
    const children = new Set<string>();
    let token: string | undefined;
    do {
      const page = await this.list(prefix, { ContinuationToken: token });
      for (const { Key: key } of page.Contents ?? []) {
        const slash = key ? key.indexOf("/", prefix.length) : -1;
        if (key && slash >= 0) children.add(key.slice(0, slash + 1));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return [...children];
  }

  private list(prefix: string, extra: Omit<ListObjectsV2CommandInput, "Bucket" | "Prefix">) {
    return this.call(`s3://${this.bucket}/${prefix}`, () =>
      this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ...extra })),
    );
  }

  private async listObjects(prefix: string): Promise<ObjectRef[]> {
    const out: ObjectRef[] = [];
    let token: string | undefined;
    do {
      const page = await this.list(prefix, { ContinuationToken: token });
      for (const object of page.Contents ?? []) {
        if (!object.Key || object.Key.endsWith("/")) continue;
        out.push({
          id: s3ObjectId(this.bucket, object.Key, object.ETag ?? String(object.LastModified?.getTime() ?? "")),
          name: object.Key,
          size: object.Size ?? 0,
          modifiedAt: object.LastModified?.getTime() ?? 0,
        });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  /** SDK errors name the operation but not the object; prefix them with where it failed. */
  private async call<T>(where: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (err) {
      const e = err as Error;
      throw new Error(`${where}: ${e.name && e.name !== "Error" ? `${e.name}: ` : ""}${e.message}`, { cause: err });
    }
  }
}

function lastSegment(prefix: string): string {
  const parts = prefix.split("/");
  return parts[parts.length - 2] ?? "";
}

/** `YYYY/MM/DD/` of every UTC day from `from` to `to`, oldest first. */
export function dayPaths(from: number, to: number): string[] {
  const out: string[] = [];
  for (let day = Math.floor(from / DAY_MS) * DAY_MS; day <= to; day += DAY_MS) {
    out.push(`${new Date(day).toISOString().slice(0, 10).replace(/-/g, "/")}/`);
  }
  return out;
}
