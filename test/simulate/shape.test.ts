import assert from "node:assert/strict";
import { test } from "node:test";
import { ATTACK_KINDS } from "../../src/simulate/index.ts";
import { compareShapes } from "./shape-compare.ts";
import { realRecords } from "./real-records.ts";
import { allRecords, simulateInto } from "./simulated-archive.ts";

/**
 * Differences allowed, each with its reason. Anything else the comparer finds fails the test.
 */
const EXCEPTIONS: { path: RegExp; reason: string }[] = [
  {
    path: /^\$\.userIdentity\.sessionContext\.webIdFederationData\.(federatedProvider|attributes)$/,
    reason:
      "IRSA sessions carry webIdFederationData.federatedProvider and attributes (CloudTrail userIdentity reference); " +
      "no real record in ../shared/datasets comes from a web-identity session, so the real data only has it empty",
  },
];

test("the comparer reports a renamed field, a changed type and a missing field", () => {
  const real = [{ eventName: "X", eventTime: "t", requestParameters: { a: 1 }, tlsDetails: {} }];
  const generated = [{ eventName: "X", eventTime: "t", requestParameters: { a: "1", b: true } }];
  const found = compareShapes(real, generated).map((d) => `${d.path}: ${d.problem}`);
  assert.deepEqual(found.sort(), [
    "$.requestParameters.a: string where real records have number",
    "$.requestParameters.b: not in the real records",
    "$.tlsDetails: missing (every real record has it)",
  ]);
});

test("simulated records have the field names and JSON types of real CloudTrail, per event name", async () => {
  const archive = await simulateInto({ start: Date.parse("2026-11-16T10:00:00Z"), hours: 3, accounts: 1, clusters: 2, seed: "shape", attacks: ATTACK_KINDS });
  try {
    const generated = allRecords(archive);
    const real = realRecords();
    const realNames = new Set(real.map((r) => r.eventName));
    const shared = new Set(generated.map((r) => r.eventName).filter((n) => realNames.has(n)));
    // The comparison covers the calls the rules care about, not just a few.
    for (const name of ["GetSecretValue", "GetCallerIdentity", "DescribeInstances", "CreateUser", "CreateAccessKey", "AssumeRole", "AssumeRoleForPodIdentity", "GetObject", "ListBuckets"]) {
      assert.ok(shared.has(name), `${name} not compared`);
    }
    const unexplained = compareShapes(real, generated).filter((d) => !EXCEPTIONS.some((e) => e.path.test(d.path)));
    assert.deepEqual(unexplained, []);
  } finally {
    archive.cleanup();
  }
});
