import assert from "node:assert/strict";
import { test } from "node:test";
import { FileSink } from "../../../src/alerts/sinks/file-sink.ts";
import { displaySinkName, parseSink, parseSinks, SinkSpecError } from "../../../src/alerts/sinks/parse-sink.ts";
import { SlackSink } from "../../../src/alerts/sinks/slack-sink.ts";
import { StdoutSink } from "../../../src/alerts/sinks/stdout-sink.ts";
import { WebhookSink } from "../../../src/alerts/sinks/webhook-sink.ts";

test("each --sink form makes its sink, named stably for the outbox", () => {
  const cases: [string, unknown, string][] = [
    ["stdout", StdoutSink, "stdout"],
    ["stdout:table", StdoutSink, "stdout"],
    ["stdout:ndjson", StdoutSink, "stdout:ndjson"],
    ["file:out/alerts.ndjson", FileSink, "file:out/alerts.ndjson"],
    ["webhook:https://siem.example/in?token=1", WebhookSink, "webhook:https://siem.example/in?token=1"],
    ["slack:https://hooks.slack.com/services/T0/B0/x", SlackSink, "slack:https://hooks.slack.com/services/T0/B0/x"],
  ];
  for (const [spec, kind, name] of cases) {
    const sink = parseSink(spec);
    assert.ok(sink instanceof (kind as new (...args: never[]) => unknown), spec);
    assert.equal(sink.name, name);
  }
});

test("malformed --sink values get clear errors", () => {
  const cases: [string, RegExp][] = [
    ["stdout:json", /stdout takes "table" or "ndjson", not "json"/],
    ["file:", /file needs a path/],
    ["webhook:not a url", /"not a url" is not a URL; expected e.g. webhook:https:/],
    ["webhook:ftp://x/y", /only http\(s\) URLs can receive alerts/],
    ["slack:", /"" is not a URL; expected e.g. slack:https:\/\/hooks\.slack\.com/],
    ["kafka:broker:9092", /unknown sink "kafka"; use stdout, stdout:ndjson, file:PATH/],
    ["https://hooks.slack.com/x", /unknown sink "https"/],
  ];
  for (const [spec, message] of cases) {
    const matches = (err: Error) => err instanceof SinkSpecError && message.test(err.message);
    assert.throws(() => parseSink(spec), matches, spec);
  }
});

test("the same sink twice is refused; different sinks are fine", () => {
  assert.equal(parseSinks(["stdout", "file:a.ndjson", "webhook:https://x.example/"]).length, 3);
  assert.throws(() => parseSinks(["stdout", "stdout:table"]), /--sink stdout is given twice/);
});

test("sink names shown in logs and metrics hide webhook secrets", () => {
  const slack = "slack:https://hooks.slack.com/services/T0/B0/secret";
  assert.equal(displaySinkName(slack), "slack:https://hooks.slack.com/services/…");
  assert.equal(displaySinkName("webhook:https://siem.example/in?token=secret"), "webhook:https://siem.example/in/…");
  assert.equal(displaySinkName("file:alerts.ndjson"), "file:alerts.ndjson");
  assert.equal(displaySinkName("stdout"), "stdout");
});
