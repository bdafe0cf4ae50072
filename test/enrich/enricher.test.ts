import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Document } from "../../src/doc/document.ts";
import { createEnricher } from "../../src/enrich/enricher.ts";
import { loadBundledAsn, loadBundledGeo } from "../../src/enrich/index.ts";
import type { AsnDatabase, AsnInfo, GeoDatabase, GeoInfo } from "../../src/enrich/types.ts";

function countingAsn(table: Record<string, AsnInfo>): AsnDatabase & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    lookup(ip) {
      calls.push(ip);
      return table[ip];
    },
  };
}

function fixedGeo(table: Record<string, GeoInfo>): GeoDatabase {
  return { lookup: (ip) => table[ip] };
}

const london: GeoInfo = {
  continent_name: "Europe",
  country_iso_code: "GB",
  country_name: "United Kingdom",
  region_iso_code: "GB-ENG",
  region_name: "England",
  city_name: "London",
  location: { lat: 51.5142, lon: -0.0931 },
};

describe("createEnricher", () => {
  it("writes source.as.number, source.as.organization.name and source.geo.* from source.ip", () => {
    const enricher = createEnricher({
      asn: countingAsn({ "81.2.69.144": { number: 16509, organization: "Amazon.com, Inc." } }),
      geo: fixedGeo({ "81.2.69.144": london }),
    });
    const doc: Document = { source: { address: "81.2.69.144", ip: "81.2.69.144" } };
    enricher.enrich(doc);
    assert.deepEqual(doc, {
      source: {
        address: "81.2.69.144",
        ip: "81.2.69.144",
        as: { number: 16509, organization: { name: "Amazon.com, Inc." } },
        geo: london,
      },
    });
  });

  it("writes no organization when the database has none", () => {
    const enricher = createEnricher({ asn: countingAsn({ "216.160.83.56": { number: 209 } }) });
    const doc: Document = { source: { ip: "216.160.83.56" } };
    enricher.enrich(doc);
    assert.deepEqual(doc, { source: { ip: "216.160.83.56", as: { number: 209 } } });
  });

  it("writes nothing without a hit or without source.ip", () => {
    const enricher = createEnricher({ asn: countingAsn({}), geo: fixedGeo({}) });
    const miss: Document = { source: { address: "10.0.0.1", ip: "10.0.0.1" } };
    const hostname: Document = { source: { address: "eks.amazonaws.com" } };
    enricher.enrich(miss);
    enricher.enrich(hostname);
    assert.deepEqual(miss, { source: { address: "10.0.0.1", ip: "10.0.0.1" } });
    assert.deepEqual(hostname, { source: { address: "eks.amazonaws.com" } });
  });

  it("looks each IP up once while it stays in the bounded cache", () => {
    const asn = countingAsn({ "1.1.1.1": { number: 13335 } });
    const enricher = createEnricher({ asn, cacheSize: 2 });
    const run = (ip: string): void => enricher.enrich({ source: { ip } });
    run("1.1.1.1");
    run("1.1.1.1");
    run("2.2.2.2");
    run("1.1.1.1"); // refreshes 1.1.1.1, so 2.2.2.2 is now the oldest
    run("3.3.3.3"); // evicts 2.2.2.2
    run("1.1.1.1");
    run("2.2.2.2");
    assert.deepEqual(asn.calls, ["1.1.1.1", "2.2.2.2", "3.3.3.3", "2.2.2.2"]);
  });

  it("gives every document its own objects, not the cached ones", () => {
    const enricher = createEnricher({ geo: fixedGeo({ "81.2.69.144": london }) });
    const first: Document = { source: { ip: "81.2.69.144" } };
    const second: Document = { source: { ip: "81.2.69.144" } };
    enricher.enrich(first);
    const geoOf = (doc: Document): GeoInfo => (doc.source as Document).geo as GeoInfo;
    geoOf(first).location!.lat = 0;
    enricher.enrich(second);
    assert.equal(geoOf(second).location?.lat, 51.5142);
    assert.equal(london.location?.lat, 51.5142);
  });

  it("with the bundled data, tells an Amazon address from an external one", () => {
    const enricher = createEnricher({ asn: loadBundledAsn(), geo: loadBundledGeo() });
    const amazon: Document = { source: { ip: "52.94.236.248" } };
    const google: Document = { source: { ip: "8.8.4.4" } };
    enricher.enrich(amazon);
    enricher.enrich(google);
    assert.deepEqual((amazon.source as Document).as, { number: 16509, organization: { name: "Amazon.com, Inc." } });
    assert.deepEqual((google.source as Document).as, { number: 15169, organization: { name: "Google LLC" } });
    assert.equal(((google.source as Document).geo as GeoInfo).country_iso_code, "US");
  });
});
