/**
 * The SQS source against aws-sdk-client-mock: no SQS server is installable here (neither ElasticMQ nor LocalStack
 * is available as a package), so the queue's responses are scripted and the calls the source makes are asserted.
 */
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { SqsSource, regionOfQueueUrl } from "../../../src/sources/live/sqs-source.ts";

const sqsMock = mockClient(SQSClient);
const s3Mock = mockClient(S3Client);
afterEach(() => {
  sqsMock.reset();
  s3Mock.reset();
});

const QUEUE = "https://sqs.eu-west-1.amazonaws.com/111111111111/trail-events";
const KEY =
  "AWSLogs/111111111111/CloudTrail/eu-west-1/2026/11/21/111111111111_CloudTrail_eu-west-1_20261121T1200Z_x.json.gz";

function s3Event(keys: string[], bucket = "trail-bucket") {
  return JSON.stringify({
    Records: keys.map((key, i) => ({
      eventVersion: "2.1",
      eventSource: "aws:s3",
      eventTime: "2026-11-21T12:05:00.000Z",
      eventName: "ObjectCreated:Put",
      s3: { bucket: { name: bucket }, object: { key, size: 100 + i, eTag: `etag${i}` } },
    })),
  });
}

function snsWrapped(message: string) {
  const topic = "arn:aws:sns:eu-west-1:111111111111:trail";
  const sent = "2026-11-21T12:06:00.000Z";
  return JSON.stringify({ Type: "Notification", TopicArn: topic, Message: message, Timestamp: sent });
}

function receives(...batches: Message[][]) {
  const stub = sqsMock.on(ReceiveMessageCommand);
  for (const batch of batches) stub.resolvesOnce({ Messages: batch });
  stub.resolves({ Messages: [] });
}

const deleted = () => sqsMock.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle);

function source(problems: string[] = []) {
  return new SqsSource(QUEUE, {
    waitTimeSeconds: 0,
    sqsConfig: { credentials: { accessKeyId: "x", secretAccessKey: "y" } },
    s3Config: { region: "eu-west-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } },
    onProblem: (m) => problems.push(m),
  });
}

test("a direct S3 notification offers its objects (URL-decoded keys), deleted only when all are done", async () => {
  receives([{ MessageId: "m1", ReceiptHandle: "r1", Body: s3Event([KEY, "AWSLogs/with+space%3Dx.json.gz"]) }]);
  const src = source();
  const refs = await src.poll(0);
  assert.deepEqual(
    refs.map((r) => [r.id, r.name, r.size]),
    [
      [`s3://trail-bucket/${KEY}#etag0`, KEY, 100],
      ["s3://trail-bucket/AWSLogs/with space=x.json.gz#etag1", "AWSLogs/with space=x.json.gz", 101],
    ],
  );
  assert.equal(refs[0].modifiedAt, Date.parse("2026-11-21T12:05:00Z"));
  const receive = sqsMock.commandCalls(ReceiveMessageCommand)[0].args[0].input;
  assert.equal(receive.WaitTimeSeconds, 0);
  assert.equal(receive.QueueUrl, QUEUE);
  await src.done(refs[0]);
  assert.deepEqual(deleted(), [], "one of its two objects is still being processed");
  await src.done(refs[1]);
  assert.deepEqual(deleted(), ["r1"]);
  await src.close();
});

test("an SNS-wrapped notification is unwrapped; read fetches the notified object", async () => {
  receives([{ MessageId: "m2", ReceiptHandle: "r2", Body: snsWrapped(s3Event([KEY], "other-bucket")) }]);
  s3Mock.on(GetObjectCommand, { Bucket: "other-bucket", Key: KEY }).resolves({
    Body: { transformToByteArray: async () => new Uint8Array([31, 139, 8]) } as never,
  });
  const src = source();
  const [ref] = await src.poll(0);
  assert.equal(ref.id, `s3://other-bucket/${KEY}#etag0`);
  assert.deepEqual(await src.read(ref), Buffer.from([31, 139, 8]));
  await src.done(ref);
  assert.deepEqual(deleted(), ["r2"]);
});

test("CloudTrail's own SNS notification (s3Bucket, s3ObjectKey) is understood", async () => {
  const body = snsWrapped(JSON.stringify({ s3Bucket: "ct-bucket", s3ObjectKey: [KEY] }));
  const direct = JSON.stringify({ s3Bucket: "ct-bucket", s3ObjectKey: [`${KEY}.2`] });
  receives([
    { MessageId: "m3", ReceiptHandle: "r3", Body: body },
    { MessageId: "m4", ReceiptHandle: "r4", Body: direct },
  ]);
  const refs = await source().poll(1234);
  assert.deepEqual(
    refs.map((r) => [r.id, r.modifiedAt]),
    [
      [`s3://ct-bucket/${KEY}#`, Date.parse("2026-11-21T12:06:00.000Z")],
      [`s3://ct-bucket/${KEY}.2#`, 1234],
    ],
  );
});

test("s3:TestEvent is deleted and offers nothing", async () => {
  const test = JSON.stringify({ Service: "Amazon S3", Event: "s3:TestEvent", Bucket: "trail-bucket" });
  receives([{ MessageId: "t", ReceiptHandle: "rt", Body: test }]);
  assert.deepEqual(await source().poll(0), []);
  assert.deepEqual(deleted(), ["rt"]);
});

test("malformed messages are reported and left on the queue; good ones in the same batch still work", async () => {
  receives([
    { MessageId: "bad1", ReceiptHandle: "rb1", Body: "not json" },
    { MessageId: "bad2", ReceiptHandle: "rb2", Body: JSON.stringify({ Records: [{ eventName: "ObjectCreated:X" }] }) },
    { MessageId: "ok", ReceiptHandle: "rok", Body: s3Event([KEY]) },
  ]);
  const problems: string[] = [];
  const src = source(problems);
  const refs = await src.poll(0);
  assert.equal(refs.length, 1);
  assert.equal(problems.length, 2);
  assert.match(problems[0], /^message bad1: body is not JSON .*; left on the queue$/);
  assert.match(problems[1], /message bad2: Records\[0\] has no s3\.bucket\.name and s3\.object\.key/);
  await src.done(refs[0]);
  assert.deepEqual(deleted(), ["rok"]);
});

test("a redelivered message keeps what was done; deletion uses the newest receipt handle", async () => {
  const body = s3Event([KEY, `${KEY}.second`]);
  receives(
    [{ MessageId: "m", ReceiptHandle: "first", Body: body }],
    [{ MessageId: "m", ReceiptHandle: "second", Body: body }],
  );
  const src = source();
  const [a, b] = await src.poll(0);
  await src.done(a);
  const again = await src.poll(1);
  assert.equal(again.length, 2, "offered again; the caller skips what it has read");
  await src.done(b);
  assert.deepEqual(deleted(), ["second"]);
});

test("only object creations are read; a message of removals is acknowledged", async () => {
  const s3 = { bucket: { name: "b" }, object: { key: "k" } };
  const removal = JSON.stringify({ Records: [{ eventName: "ObjectRemoved:Delete", s3 }] });
  receives([{ MessageId: "rm", ReceiptHandle: "rrm", Body: removal }]);
  assert.deepEqual(await source().poll(0), []);
  assert.deepEqual(deleted(), ["rrm"]);
});

test("a queue given by name is resolved with GetQueueUrl", async () => {
  sqsMock.on(GetQueueUrlCommand, { QueueName: "trail-events" }).resolves({ QueueUrl: QUEUE });
  receives([]);
  const src = new SqsSource("trail-events", {
    waitTimeSeconds: 0,
    sqsConfig: { region: "eu-west-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } },
  });
  await src.poll(0);
  assert.equal(sqsMock.commandCalls(ReceiveMessageCommand)[0].args[0].input.QueueUrl, QUEUE);
});

test("the queue URL names its region", () => {
  assert.equal(regionOfQueueUrl(QUEUE), "eu-west-1");
  assert.equal(regionOfQueueUrl("https://us-east-2.queue.amazonaws.com/1/q"), "us-east-2");
  assert.equal(regionOfQueueUrl("trail-events"), undefined);
});
