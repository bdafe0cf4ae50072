import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, describe, it } from "node:test";
import { loadBundledAsn } from "../../src/enrich/bundled-asn.ts";
import { parseCsvLine } from "../../src/enrich/csv-line.ts";
import { formatIPv4, formatIPv6, parseIp } from "../../src/enrich/ip.ts";
import { isSpecialPurpose } from "../../src/enrich/special-ranges.ts";
import type { AsnDatabase, AsnInfo } from "../../src/enrich/types.ts";

const csvDir = new URL("../../node_modules/@ip-location-db/asn/", import.meta.url);

interface CsvRow {
  start: bigint;
  end: bigint;
  info: AsnInfo;
}

function readCsv(file: string): CsvRow[] {
  return readFileSync(new URL(file, csvDir), "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [start, end, asn, org] = parseCsvLine(line);
      const info: AsnInfo = org ? { number: Number(asn), organization: org } : { number: Number(asn) };
      return { start: BigInt(start), end: BigInt(end), info };
    });
}

/** The CSV's answer: the row with the greatest start ≤ ip, if it reaches ip (a later overlapping row wins). */
function csvAnswer(rows: CsvRow[], ip: bigint): AsnInfo | undefined {
  let lo = 0;
  let hi = rows.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid].start <= ip) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 && ip <= rows[found].end ? rows[found].info : undefined;
}

function v6Text(value: bigint): string {
  const words = Array.from({ length: 4 }, (_, i) => Number((value >> BigInt(96 - 32 * i)) & 0xffffffffn));
  return formatIPv6(words);
}

const amazon = { number: 16509, organization: "Amazon.com, Inc." };

describe("loadBundledAsn", () => {
  let db: AsnDatabase;
  before(() => {
    db = loadBundledAsn();
  });

  it("finds Amazon and Google ranges, IPv4 and IPv6", () => {
    assert.deepEqual(db.lookup("1.44.96.17"), amazon);
    assert.deepEqual(db.lookup("8.8.4.4"), { number: 15169, organization: "Google LLC" });
    assert.deepEqual(db.lookup("2001:4f8:2::1"), amazon);
  });

  it("answers for the first and last address of a range and not beyond it", () => {
    assert.deepEqual(db.lookup("1.44.96.0"), amazon);
    assert.deepEqual(db.lookup("1.44.96.255"), amazon);
    assert.equal(db.lookup("1.44.95.255")?.number, 7474);
    assert.equal(db.lookup("1.44.97.0")?.number, 7474);
    assert.deepEqual(db.lookup("2001:4f8:2::"), amazon);
    assert.deepEqual(db.lookup("2001:4f8:2:ffff:ffff:ffff:ffff:ffff"), amazon);
    assert.equal(db.lookup("2001:4f8:1:ffff:ffff:ffff:ffff:ffff"), undefined); // unannounced gap before the range
    assert.equal(db.lookup("2001:4f8:3::")?.number, 1280);
  });

  it("reads an IPv4-mapped IPv6 address as IPv4", () => {
    assert.deepEqual(db.lookup("::ffff:8.8.4.4"), db.lookup("8.8.4.4"));
  });

  it("gives nothing for private, loopback, reserved addresses and non-literals", () => {
    for (const text of [
      "10.0.0.1",
      "127.0.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "::1",
      "fd00::1",
      "fe80::1",
      "ec2.amazonaws.com",
      "AWS Internal",
      "",
    ]) {
      assert.equal(db.lookup(text), undefined, text);
    }
  });

  it("agrees with the CSV on addresses sampled at, inside and just outside its ranges", () => {
    const checks: Array<[string, (v: bigint) => string, bigint]> = [
      ["asn-ipv4-num.csv", (v) => formatIPv4(Number(v)), 0xffffffffn],
      ["asn-ipv6-num.csv", v6Text, (1n << 128n) - 1n],
    ];
    let compared = 0;
    for (const [file, format, max] of checks) {
      const rows = readCsv(file);
      // Every 97th row (prime stride, so no alignment with any pattern in the file): ~5,300 rows, 5 probes each.
      for (let i = 0; i < rows.length; i += 97) {
        const { start, end } = rows[i];
        for (const probe of [start - 1n, start, (start + end) / 2n, end, end + 1n]) {
          if (probe < 0n || probe > max) continue;
          const text = format(probe);
          const expected = isSpecialPurpose(parseIp(text)!) ? undefined : csvAnswer(rows, probe);
          assert.deepEqual(db.lookup(text), expected, `${file} ${text}`);
          compared++;
        }
      }
    }
    assert.ok(compared > 20000, `compared ${compared}`);
  });
});
