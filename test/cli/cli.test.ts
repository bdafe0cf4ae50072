import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { OUTSIDE_IP, webIdentityAssume } from "../helpers/cloudtrail.ts";
import { runCli } from "../helpers/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "tw-cli-"));

test("--help lists the commands", () => {
  const { code, stdout } = runCli(["--help"]);
  assert.equal(code, 0);
  for (const command of ["scan", "normalize", "query"]) assert.match(stdout, new RegExp(`\\n  ${command} `));
});

test("scan of the bundled sample prints both built-in rules' alerts as NDJSON", () => {
  const { code, stdout, stderr } = runCli(["scan", "samples/eks-irsa", "--format", "ndjson"]);
  assert.equal(code, 0, stderr);
  const alerts = stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  // The sample is simulated (scripts/make-sample-data.ts; labels in samples/eks-irsa.ground-truth.json): 4 token
  // exchanges from outside Amazon; 5 fanned-out keys: the in-cluster compromise's, the EC2 replay's two, and two
  // hourly keys of external-secrets, the workload the lateral-movement rule flags as written.
  const perRule = new Map<string, number>();
  for (const a of alerts) perRule.set(a["kibana.alert.rule.rule_id"], (perRule.get(a["kibana.alert.rule.rule_id"]) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(perRule), {
    "a1b2c3d4-e5f6-4789-a0b1-c2d3e4f5a6b7": 5,
    "ae32268b-bfd0-4c35-b002-13461b5830ca": 4,
  });
  assert.match(stderr, /scanned 15 file\(s\), 1694 record\(s\)/);
});

test("--output writes the alerts to a file and --format json writes an array", () => {
  const out = join(dir, "alerts.json");
  const { code } = runCli(["scan", "samples/eks-irsa", "--format", "json", "--output", out, "--quiet"]);
  assert.equal(code, 0);
  assert.equal(JSON.parse(readFileSync(out, "utf8")).length, 9);
});

test("an unreadable input is named, everything else is scanned, exit code 2", () => {
  const good = join(dir, "good.json.gz");
  const cut = join(dir, "cut.json.gz");
  writeFileSync(
    good,
    gzipSync(JSON.stringify({ Records: [webIdentityAssume({ at: "2026-11-20T10:00:00Z", ip: OUTSIDE_IP })] })),
  );
  writeFileSync(
    cut,
    gzipSync(JSON.stringify({ Records: [webIdentityAssume({ at: "2026-11-20T10:00:00Z" })] })).subarray(0, 40),
  );
  const { code, stdout, stderr } = runCli(["scan", good, cut, join(dir, "missing.json"), "--format", "ndjson"]);
  assert.equal(code, 2);
  assert.equal(stdout.trim().split("\n").length, 1);
  assert.match(stderr, /cut\.json\.gz: truncated gzip/);
  assert.match(stderr, /missing\.json: no such file or directory/);
  assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
});

test("a rule whose query does not parse: file, line, column and a caret; nothing scanned, exit code 1", () => {
  const rule = join(dir, "broken.toml");
  writeFileSync(
    rule,
    `[metadata]\ncreation_date = "2026/01/01"\n\n[rule]\nauthor = ["me"]\ndescription = "d"\nname = "Broken"\nrisk_score = 21\nrule_id = "00000000-0000-4000-8000-000000000001"\nseverity = "low"\ntype = "esql"\nlanguage = "esql"\nquery = '''\nFROM logs-aws.cloudtrail-*\n| WHERE event.action == \n'''\n`,
  );
  const { code, stdout, stderr } = runCli(["scan", "samples/eks-irsa", "--rules", rule]);
  assert.equal(code, 1);
  assert.equal(stdout, "");
  assert.match(stderr, /broken\.toml/);
  assert.match(stderr, /line \d+:\d+/);
  assert.match(stderr, /\^/);
  assert.doesNotMatch(stderr, /\n\s+at /);
});

test("a TOML syntax error names file:line:column; a bad option is a usage error", () => {
  const rule = join(dir, "bad.toml");
  writeFileSync(rule, "[rule]\nname = \n");
  const bad = runCli(["scan", "samples/eks-irsa", "--rules", rule]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /bad\.toml:2:\d+/);
  const usage = runCli(["scan", "samples/eks-irsa", "--format", "xml"]);
  assert.equal(usage.code, 1);
  assert.match(usage.stderr, /xml/);
  const time = runCli(["scan", "samples/eks-irsa", "--from", "yesterday"]);
  assert.equal(time.code, 1);
  assert.match(time.stderr, /--from: not a time/);
});

test("normalize prints one ECS document per record", () => {
  const { code, stdout } = runCli(
    ["normalize", "-"],
    `${JSON.stringify(webIdentityAssume({ at: "2026-11-20T10:00:00Z", ip: OUTSIDE_IP }))}\n`,
  );
  assert.equal(code, 0);
  const [doc] = stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.equal(doc.event.action, "AssumeRoleWithWebIdentity");
  assert.equal(doc.user.name, "system:serviceaccount:payments:api");
  assert.equal(doc.source.as.organization.name, "DigitalOcean, LLC");
  assert.match(doc.aws.cloudtrail.response_elements, /credentials=\{accessKeyId=ASIATESTKEY000000001, /);
});

test("query answers an ad-hoc STATS over the sample data", () => {
  const { code, stdout, stderr } = runCli([
    "query",
    'FROM logs-aws.cloudtrail-* | WHERE event.action == "AssumeRoleWithWebIdentity" | STATS n = COUNT(*) BY user.name | SORT n DESC, user.name | LIMIT 3',
    "samples/eks-irsa",
    "--format",
    "csv",
  ]);
  assert.equal(code, 0, stderr);
  const lines = stdout.trim().split("\n");
  assert.equal(lines[0], "n,user.name");
  assert.equal(lines.length, 4);
  assert.match(lines[1], /^\d+,system:serviceaccount:/);
});
