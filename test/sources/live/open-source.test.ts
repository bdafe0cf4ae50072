import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { DirectorySource } from "../../../src/sources/live/directory-source.ts";
import { openSource, SourceSpecError } from "../../../src/sources/live/open-source.ts";
import { S3Source } from "../../../src/sources/live/s3-source.ts";
import { SqsSource } from "../../../src/sources/live/sqs-source.ts";

const dir = mkdtempSync(join(tmpdir(), "tw-open-source-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("each kind of source argument opens its source", async () => {
  const cases: [string, unknown, string][] = [
    ["s3://org-trail/AWSLogs/", S3Source, "s3://org-trail/AWSLogs/"],
    ["s3://org-trail", S3Source, "s3://org-trail/"],
    ["sqs://trail-events", SqsSource, "sqs:trail-events"],
    [
      "sqs://sqs.eu-west-1.amazonaws.com/111111111111/trail-events",
      SqsSource,
      "sqs:https://sqs.eu-west-1.amazonaws.com/111111111111/trail-events",
    ],
    [
      "https://sqs.eu-west-1.amazonaws.com/111111111111/q.fifo",
      SqsSource,
      "sqs:https://sqs.eu-west-1.amazonaws.com/111111111111/q.fifo",
    ],
    [dir, DirectorySource, dir],
  ];
  for (const [spec, kind, description] of cases) {
    const source = await openSource(spec, { sqsWaitSeconds: 0 });
    assert.ok(source instanceof (kind as new (...args: never[]) => unknown), spec);
    assert.equal(source.description, description);
    await source.close();
  }
});

test("malformed source arguments get clear errors", async () => {
  writeFileSync(join(dir, "file.json"), "{}");
  const cases: [string, RegExp][] = [
    ["s3://", /s3:\/\/: not an S3 location/],
    ["s3://My_Bucket/x", /"My_Bucket" is not a valid bucket name/],
    ["sqs://bad queue!", /"bad queue!" is not a queue name/],
    ["sqs://sqs.eu-west-1.amazonaws.com/trail-events", /not an SQS queue URL/],
    ["https://example.com/hook", /must be an SQS queue URL/],
    ["gs://bucket/x", /unknown source scheme/],
    [join(dir, "missing"), /missing: no such directory/],
    [join(dir, "file.json"), /file\.json: not a directory/],
  ];
  for (const [spec, message] of cases) {
    const matches = (err: Error) => err instanceof SourceSpecError && message.test(err.message);
    await assert.rejects(openSource(spec), matches, spec);
  }
});
