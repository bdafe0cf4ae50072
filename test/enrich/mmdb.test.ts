import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadMmdbAsn, loadMmdbGeo } from "../../src/enrich/mmdb.ts";
import type { AsnDatabase, GeoDatabase } from "../../src/enrich/types.ts";
import { buildMmdb } from "./mmdb-writer.ts";

const london = {
  city: { geoname_id: 2643743, names: { en: "London", de: "London" } },
  continent: { code: "EU", names: { en: "Europe", fr: "Europe" } },
  country: { iso_code: "GB", names: { en: "United Kingdom", de: "Vereinigtes Königreich" } },
  registered_country: { iso_code: "SE", names: { en: "Sweden" } },
  location: { accuracy_radius: 100, latitude: 51.5142, longitude: -0.0931, time_zone: "Europe/London" },
  postal: { code: "EC2V" },
  subdivisions: [{ iso_code: "ENG", names: { en: "England" } }],
};

describe("loadMmdbGeo / loadMmdbAsn on generated databases", () => {
  let dir: string;
  let geo: GeoDatabase;
  let asn: AsnDatabase;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "trailwatch-mmdb-"));
    const cityFile = join(dir, "GeoLite2-City.mmdb");
    writeFileSync(
      cityFile,
      buildMmdb("GeoLite2-City", [
        ["81.2.69.0/24", london],
        [
          "2.125.160.0/24",
          {
            country: { iso_code: "GB", names: { en: "United Kingdom" } },
            subdivisions: [
              { iso_code: "ENG", names: { en: "England" } },
              { iso_code: "WBK", names: { en: "West Berkshire" } },
            ],
            location: { latitude: 51.75 },
          },
        ],
        [
          "2001:218::/32",
          { continent: { code: "AS", names: { en: "Asia" } }, subdivisions: [{ names: { en: "Tokyo" } }] },
        ],
        ["89.160.20.0/24", { postal: { code: "12345" }, location: { time_zone: "Europe/Stockholm" } }],
      ]),
    );
    const asnFile = join(dir, "GeoLite2-ASN.mmdb");
    writeFileSync(
      asnFile,
      buildMmdb("GeoLite2-ASN", [
        ["216.160.83.0/24", { autonomous_system_number: 209 }],
        ["52.94.0.0/16", { autonomous_system_number: 16509, autonomous_system_organization: "AMAZON-02" }],
        ["2600:1f00::/24", { autonomous_system_number: 16509, autonomous_system_organization: "AMAZON-02" }],
        ["1.128.0.0/16", { autonomous_system_organization: "No number" }],
      ]),
    );
    geo = await loadMmdbGeo(cityFile);
    asn = await loadMmdbAsn(asnFile);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it("maps a City record to the geoip processor's default properties, English names only", () => {
    assert.deepEqual(geo.lookup("81.2.69.144"), {
      continent_name: "Europe",
      country_iso_code: "GB",
      country_name: "United Kingdom",
      region_iso_code: "GB-ENG",
      region_name: "England",
      city_name: "London",
      location: { lat: 51.5142, lon: -0.0931 },
    });
  });

  it("takes the most specific subdivision and writes location only with both coordinates", () => {
    assert.deepEqual(geo.lookup("2.125.160.216"), {
      country_iso_code: "GB",
      country_name: "United Kingdom",
      region_iso_code: "GB-WBK",
      region_name: "West Berkshire",
    });
  });

  it("writes no region_iso_code without a country or subdivision code", () => {
    assert.deepEqual(geo.lookup("2001:218::1"), { continent_name: "Asia", region_name: "Tokyo" });
  });

  it("gives nothing for records without any default property, misses and non-literals", () => {
    assert.equal(geo.lookup("89.160.20.1"), undefined);
    assert.equal(geo.lookup("81.2.70.1"), undefined);
    assert.equal(geo.lookup("ec2.amazonaws.com"), undefined);
  });

  it("looks IPv4-mapped IPv6 up as IPv4", () => {
    assert.equal(geo.lookup("::ffff:81.2.69.144")?.city_name, "London");
    assert.equal(asn.lookup("::ffff:52.94.1.1")?.number, 16509);
  });

  it("reads ASN number and organization, IPv4 and IPv6", () => {
    assert.deepEqual(asn.lookup("216.160.83.56"), { number: 209 });
    assert.deepEqual(asn.lookup("52.94.236.248"), { number: 16509, organization: "AMAZON-02" });
    assert.deepEqual(asn.lookup("2600:1f00:1234::1"), { number: 16509, organization: "AMAZON-02" });
    assert.equal(asn.lookup("52.95.0.1"), undefined);
    assert.equal(asn.lookup("1.128.0.1"), undefined, "a record without a number is no AsnInfo");
    assert.equal(asn.lookup("AWS Internal"), undefined);
  });
});
