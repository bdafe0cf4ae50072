/**
 * How the S3 source lists on a server that implements delimiters and pagination as S3 does (scripted with
 * aws-sdk-client-mock): s3rver, used for the end-to-end tests, returns no common prefixes for nested keys and cannot
 * paginate on Node 20 (its continuation tokens use DES), so these two S3 behaviours are checked here.
 */
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { ListObjectsV2Command, type ListObjectsV2CommandInput, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { S3Source } from "../../../src/sources/live/s3-source.ts";

const s3Mock = mockClient(S3Client);
afterEach(() => s3Mock.reset());

const NOW = Date.parse("2026-11-21T12:00:00Z");
const REGION = "AWSLogs/111111111111/CloudTrail/us-east-1/";

test("accounts and regions come from delimiter listings; day listings follow continuation tokens", async () => {
  const listings: ListObjectsV2CommandInput[] = [];
  s3Mock.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => {
    listings.push(input);
    if (input.Delimiter === "/" && input.Prefix === "AWSLogs/") {
      return { CommonPrefixes: [{ Prefix: "AWSLogs/111111111111/" }, { Prefix: "AWSLogs/not-an-account/" }] };
    }
    if (input.Delimiter === "/" && input.Prefix === "AWSLogs/111111111111/CloudTrail/") {
      return { CommonPrefixes: [{ Prefix: REGION }] };
    }
    if (!input.Delimiter && input.Prefix === `${REGION}2026/11/21/`) {
      const page = input.ContinuationToken === "page-2" ? 2 : 1;
      return {
        Contents: [{ Key: `${REGION}2026/11/21/file-${page}.json.gz`, ETag: `"e${page}"`, Size: page }],
        IsTruncated: page === 1,
        NextContinuationToken: page === 1 ? "page-2" : undefined,
      };
    }
    return {};
  });
  const source = new S3Source("s3://trail/", {
    clientConfig: { region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } },
  });
  const refs = await source.poll(NOW);
  assert.deepEqual(
    refs.map((r) => [r.id, r.size]),
    [
      [`s3://trail/${REGION}2026/11/21/file-1.json.gz#e1`, 1],
      [`s3://trail/${REGION}2026/11/21/file-2.json.gz#e2`, 2],
    ],
  );
  const discovery = listings.filter((l) => !l.Prefix?.match(/\/\d{4}\/\d\d\/\d\d\/$/));
  assert.ok(discovery.every((l) => l.Delimiter === "/"), "no plain listing when delimiters work");
  const dayListings = listings.filter((l) => /\/2026\/11\/2[01]\/$/.test(l.Prefix ?? "")).map((l) => l.Prefix);
  assert.deepEqual(dayListings, [`${REGION}2026/11/20/`, `${REGION}2026/11/21/`, `${REGION}2026/11/21/`]);
  assert.ok(listings.every((l) => l.StartAfter === undefined), "never a StartAfter cursor");
  await source.close();
});
