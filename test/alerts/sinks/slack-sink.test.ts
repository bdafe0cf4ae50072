import assert from "node:assert/strict";
import { test } from "node:test";
import { escape, slackMessage } from "../../../src/alerts/sinks/slack-message.ts";
import { SlackSink } from "../../../src/alerts/sinks/slack-sink.ts";
import { eventAlert, rowAlert } from "./alert-fixtures.ts";
import { startReceiver } from "./http-receiver.ts";

type Block = { type: string; text?: { type: string; text: string }; fields?: { text: string }[] };

function fieldText(message: ReturnType<typeof slackMessage>, label: string): string {
  const fields = (message.blocks as Block[]).flatMap((b) => b.fields ?? []);
  return fields.find((f) => f.text.startsWith(`*${label}*\n`))?.text ?? "";
}

test("an event alert reads as rule, severity, who, from where, what and when", () => {
  const message = slackMessage(eventAlert("uuid-1"));
  const [header] = message.blocks as Block[];
  assert.deepEqual(header, {
    type: "header",
    text: { type: "plain_text", text: "MEDIUM · AWS AssumeRoleWithWebIdentity from Kubernetes SA and External ASN" },
  });
  assert.equal(
    fieldText(message, "Who"),
    "*Who*\nuser.name: `system:serviceaccount:prod:&lt;!channel&gt; &amp; *bold*`\n" +
      "aws.cloudtrail.user_identity.arn: `arn:aws:sts::111111111111:assumed-role/app/'x'`",
  );
  assert.equal(
    fieldText(message, "From where"),
    "*From where*\nsource.ip: `203.0.113.9`\nsource.as.organization.name: `Evil &lt;Hosting&gt; &amp; Co`",
  );
  assert.equal(fieldText(message, "What"), "*What*\nevent.action: `AssumeRoleWithWebIdentity`");
  assert.equal(fieldText(message, "When"), "*When*\n2026-11-21T12:01:02.000Z");
  assert.match(message.text, /^:large_yellow_circle: MEDIUM: AWS AssumeRoleWithWebIdentity .* \(user\.name: /);
  assert.ok(!/<!channel>/.test(JSON.stringify(message)), "no raw Slack control sequence survives");
  const blocks = message.blocks as { type: string; elements?: { text: string }[] }[];
  const context = blocks.find((b) => b.type === "context");
  assert.equal(context?.elements?.[0].text, "`ae32268b-bfd0-4c35-b002-13461b5830ca` · `uuid-1`");
});

test("an aggregated ES|QL alert shows its VALUES columns and its other result columns", () => {
  const message = slackMessage(rowAlert("uuid-2"));
  assert.equal(
    fieldText(message, "Who"),
    "*Who*\nuser.name: `system:serviceaccount:prod:app`\naws.cloudtrail.user_identity.access_key_id: `ASIAEXAMPLEKEY`",
  );
  assert.equal(fieldText(message, "From where"), "*From where*\nsource.ip: `203.0.113.9`, `198.51.100.7`");
  assert.equal(
    fieldText(message, "What"),
    "*What*\nevent.action: `GetSecretValue`, `ListBuckets`, `CreateAccessKey`\nEsql.post_exploit_count: `4`",
  );
  assert.equal(fieldText(message, "When"), "*When*\n2026-11-21T12:00:00.000Z → 2026-11-21T12:40:00.000Z");
});

test("escape handles Slack's three control characters and nothing else", () => {
  assert.equal(escape("<@U123> & <https://x|y> *b*"), "&lt;@U123&gt; &amp; &lt;https://x|y&gt; *b*");
});

test("the Slack sink POSTs the message as JSON and fails on a non-2xx answer", async () => {
  let status = 200;
  const receiver = await startReceiver(() => status);
  try {
    const sink = new SlackSink(receiver.url);
    assert.equal(sink.name, `slack:${receiver.url}`);
    await sink.deliver(eventAlert("u"));
    assert.deepEqual(JSON.parse(receiver.requests[0].body), slackMessage(eventAlert("u")));
    status = 500;
    await assert.rejects(sink.deliver(eventAlert("u")), /HTTP 500/);
  } finally {
    await receiver.close();
  }
});
