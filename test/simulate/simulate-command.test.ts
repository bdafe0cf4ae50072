import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runCli } from "../helpers/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "tw-simulate-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("trailwatch simulate writes the archive and ground truth, and reports its rate on stderr", () => {
  const out = join(dir, "one");
  const { code, stdout, stderr } = runCli(["simulate", "--out", out, "--hours", "0.5", "--clusters", "1", "--seed", "cli", "--attacks", "outside-token-exchange,pod-identity"]);
  assert.equal(code, 0, stderr);
  assert.equal(stdout, "");
  assert.match(stderr, /^wrote \d+ record\(s\) in \d+ file\(s\), [\d.]+ MB gzipped, in [\d.]+s \(\d+ records\/s\); 2 attack\(s\) labelled/);
  const truth = JSON.parse(readFileSync(join(out, "ground-truth.json"), "utf8"));
  assert.deepEqual(truth.attacks.map((a: { kind: string }) => a.kind), ["outside-token-exchange", "pod-identity"]);
  assert.equal(truth.start, "2026-11-16T00:00:00Z");
  assert.ok(existsSync(join(out, "AWSLogs")));
});

test("bad options are usage errors naming the option, with nothing written", () => {
  for (const [args, message] of [
    [["--attacks", "outside,pod-identity"], /--attacks: unknown outside \(choose from outside-token-exchange, /],
    [["--hours", "0"], /--hours: expected a positive number, got "0"/],
    [["--clusters", "1.5"], /--clusters: expected a positive integer/],
    [["--start", "yesterday"], /--start: not a time/],
  ] as const) {
    const out = join(dir, "bad");
    const { code, stderr } = runCli(["simulate", "--out", out, ...args]);
    assert.equal(code, 1, stderr);
    assert.match(stderr, message);
    assert.doesNotMatch(stderr, /\n\s+at /);
    assert.ok(!existsSync(out));
  }
});
