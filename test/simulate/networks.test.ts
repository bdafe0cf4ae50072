import assert from "node:assert/strict";
import { test } from "node:test";
import { loadBundledAsn } from "../../src/enrich/index.ts";
import { type AddressPool, AMAZON_EGRESS, AMAZON_IPV6, ATTACK_KINDS, GITHUB_RUNNERS, OFFICE, TOR_EXITS, VPS } from "../../src/simulate/index.ts";
import { drawAddress } from "../../src/simulate/network.ts";
import { Random } from "../../src/simulate/random.ts";
import { allRecords, simulateInto } from "./simulated-archive.ts";

const asn = loadBundledAsn();
const isAmazon = (org: string | undefined) => /^(Amazon|AMAZON)/.test(org ?? "");

test("every address pool resolves to its AS organization in the bundled ASN data", () => {
  const rng = new Random("pools");
  const pools: AddressPool[] = [...Object.values(AMAZON_EGRESS), AMAZON_IPV6, ...VPS, ...TOR_EXITS, OFFICE, GITHUB_RUNNERS];
  for (const pool of pools) {
    for (let i = 0; i < 50; i++) {
      const ip = drawAddress(pool, rng);
      assert.equal(asn.lookup(ip)?.organization, pool.organization, `${pool.label}: ${ip}`);
    }
  }
  for (const pool of [...Object.values(AMAZON_EGRESS), AMAZON_IPV6]) assert.ok(isAmazon(pool.organization));
  for (const pool of [...VPS, ...TOR_EXITS, OFFICE, GITHUB_RUNNERS]) assert.ok(!isAmazon(pool.organization), pool.label);
  const outside = [...VPS, ...TOR_EXITS].flatMap((p) => p.prefixes);
  assert.ok(outside.some((p) => p.includes(":")) && outside.some((p) => !p.includes(":")), "IPv4 and IPv6 outside ranges");
});

test("in a simulation, service accounts exchange tokens from Amazon addresses except the outside attack", async () => {
  const archive = await simulateInto({ start: Date.parse("2026-11-16T00:00:00Z"), hours: 4, accounts: 1, clusters: 2, seed: "asn", attacks: ATTACK_KINDS });
  try {
    const outside = new Set(archive.result.truth.attacks.find((a) => a.kind === "outside-token-exchange")!.eventIds);
    const replay = new Set(archive.result.truth.attacks.find((a) => a.kind === "ec2-token-replay")!.eventIds);
    let exchanges = 0;
    const outsideFamilies = new Set<string>();
    for (const r of allRecords(archive)) {
      if (r.eventName !== "AssumeRoleWithWebIdentity") continue;
      if (!String((r.userIdentity as { userName: string }).userName).startsWith("system:serviceaccount:")) continue;
      exchanges++;
      const ip = String(r.sourceIPAddress);
      const org = asn.lookup(ip)?.organization;
      if (outside.has(String(r.eventID))) {
        assert.ok(org && !isAmazon(org), `${ip}: ${org}`);
        outsideFamilies.add(ip.includes(":") ? "v6" : "v4");
      } else {
        assert.ok(isAmazon(org), `${ip}: ${org}`);
        if (replay.has(String(r.eventID))) assert.ok(!archive.result.truth.clusters.some((c) => c.natIps.includes(ip)));
      }
    }
    assert.ok(exchanges > 50);
    assert.deepEqual([...outsideFamilies].sort(), ["v4", "v6"]);
  } finally {
    archive.cleanup();
  }
});
