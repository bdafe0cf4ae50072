import assert from "node:assert/strict";
import { test } from "node:test";
import { startMetricsServer } from "../../src/server/metrics.ts";
import { prometheusText } from "../../src/server/prometheus-text.ts";

test("GET /metrics serves the live snapshot as Prometheus text; other paths 404; close frees the port", async () => {
  let objects = 3;
  const server = await startMetricsServer(0, "127.0.0.1", () => ({
    objects_read_total: objects,
    lag_seconds: 12.5,
    alerts_total: [
      { labels: { rule: "AWS Lateral Movement", severity: "high" }, value: 2 },
      { labels: { rule: 'quote " and \\ and\nnewline', severity: "medium" }, value: 1 },
    ],
  }));
  const base = `http://127.0.0.1:${server.port}`;
  try {
    const first = await fetch(`${base}/metrics`);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    assert.equal(
      await first.text(),
      [
        "# TYPE trailwatch_objects_read_total counter",
        "trailwatch_objects_read_total 3",
        "# TYPE trailwatch_lag_seconds gauge",
        "trailwatch_lag_seconds 12.5",
        "# TYPE trailwatch_alerts_total counter",
        'trailwatch_alerts_total{rule="AWS Lateral Movement",severity="high"} 2',
        'trailwatch_alerts_total{rule="quote \\" and \\\\ and\\nnewline",severity="medium"} 1',
        "",
      ].join("\n"),
    );
    objects = 4;
    assert.match(await (await fetch(`${base}/metrics?x=1`)).text(), /^trailwatch_objects_read_total 4$/m);
    const missing = await fetch(`${base}/`);
    assert.equal(missing.status, 404);
    await missing.text();
    const post = await fetch(`${base}/metrics`, { method: "POST" });
    assert.equal(post.status, 405);
    await post.text();
  } finally {
    await server.close();
  }
  await assert.rejects(fetch(`${base}/metrics`), /fetch failed/);
});

test("a port in use is a clear error", async () => {
  const first = await startMetricsServer(0, "127.0.0.1", () => ({}));
  try {
    await assert.rejects(
      startMetricsServer(first.port, "127.0.0.1", () => ({})),
      new RegExp(`metrics server on 127\\.0\\.0\\.1:${first.port}: listen EADDRINUSE`),
    );
  } finally {
    await first.close();
  }
});

test("metric and label names are made valid; special values are spelled as Prometheus expects", () => {
  const snapshot = { "files-read": NaN, "9lives": Infinity, x: [{ labels: { "rule.id": "a" }, value: -Infinity }] };
  assert.equal(
    prometheusText(snapshot, ""),
    [
      "# TYPE files_read gauge",
      "files_read NaN",
      "# TYPE _9lives gauge",
      "_9lives +Inf",
      "# TYPE x gauge",
      'x{rule_id="a"} -Inf',
      "",
    ].join("\n"),
  );
  assert.equal(prometheusText({}), "");
});
