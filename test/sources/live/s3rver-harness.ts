/** A real S3-protocol server (s3rver) on a random loopback port over a temp directory, and a client for it. */
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, PutObjectCommand, S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

// s3rver ships no type declarations; load it through require with the little of its API used here.
const S3rver = createRequire(import.meta.url)("s3rver") as S3rverClass;

export interface S3Harness {
  endpoint: string;
  clientConfig: S3ClientConfig;
  put(bucket: string, key: string, body: string | Buffer): Promise<void>;
  createBucket(bucket: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startS3(): Promise<S3Harness> {
  const directory = mkdtempSync(join(tmpdir(), "tw-s3rver-"));
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const clientConfig: S3ClientConfig = {
    region: "us-east-1",
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  };
  const client = new S3Client({ ...clientConfig, endpoint, forcePathStyle: true });
  return {
    endpoint,
    clientConfig,
    async createBucket(bucket) {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
    },
    async put(bucket, key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    async stop() {
      client.destroy();
      server.httpServer?.closeAllConnections();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
