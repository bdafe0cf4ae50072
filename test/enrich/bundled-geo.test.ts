import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, describe, it } from "node:test";
import { type CountryResponse, Reader } from "maxmind";
import { loadBundledGeo } from "../../src/enrich/bundled-geo.ts";
import { countryNames } from "../../src/enrich/country-names.ts";
import { formatIPv4, parseIp } from "../../src/enrich/ip.ts";
import { isSpecialPurpose } from "../../src/enrich/special-ranges.ts";
import type { GeoDatabase } from "../../src/enrich/types.ts";

const upstream = new URL(
  "../../node_modules/@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb",
  import.meta.url,
);

describe("loadBundledGeo", () => {
  let geo: GeoDatabase;
  before(() => {
    geo = loadBundledGeo();
  });

  it("gives country and continent named as GeoLite2 names them", () => {
    assert.deepEqual(geo.lookup("8.8.8.8"), {
      continent_name: "North America",
      country_iso_code: "US",
      country_name: "United States",
    });
    assert.deepEqual(geo.lookup("81.2.69.144"), {
      continent_name: "Europe",
      country_iso_code: "GB",
      country_name: "United Kingdom",
    });
    assert.equal(geo.lookup("::ffff:8.8.8.8")?.country_iso_code, "US");
  });

  it("gives nothing for private, loopback and link-local addresses or hostnames", () => {
    for (const text of ["10.0.0.1", "127.0.0.1", "169.254.169.254", "::1", "fe80::1", "sts.amazonaws.com"]) {
      assert.equal(geo.lookup(text), undefined, text);
    }
  });

  it("agrees with the upstream database, and every country it returns has names", () => {
    const reader = new Reader<CountryResponse & { country_code?: string }>(readFileSync(upstream));
    let x = 0x2545f491;
    let compared = 0;
    const unnamed = new Set<string>();
    for (let i = 0; i < 4000; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0; // deterministic sample
      const ip = formatIPv4(x);
      const expected = isSpecialPurpose(parseIp(ip)!) ? undefined : reader.get(ip)?.country_code;
      const actual = geo.lookup(ip);
      assert.equal(actual?.country_iso_code, expected, ip);
      if (expected && !countryNames(expected)) unnamed.add(expected);
      if (expected) compared++;
    }
    assert.ok(compared > 1000, `compared ${compared}`);
    assert.deepEqual([...unnamed], []);
  });
});
