/** `--geo-db FILE.mmdb`: source.geo.* from a City database, with the names Elasticsearch's geoip processor writes. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { loadEnricher } from "../../src/cli/setup.ts";
import type { Document } from "../../src/doc/document.ts";
import { buildMmdb } from "../enrich/mmdb-writer.ts";
import { OUTSIDE_IP, webIdentityAssume } from "../helpers/cloudtrail.ts";
import { runCli } from "../helpers/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "tw-geo-db-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const cityDb = join(dir, "city.mmdb");
writeFileSync(
  cityDb,
  buildMmdb("GeoLite2-City", [
    [
      `${OUTSIDE_IP}/32`,
      {
        city: { names: { en: "Amsterdam" } },
        continent: { code: "EU", names: { en: "Europe" } },
        country: { iso_code: "NL", names: { en: "Netherlands" } },
        location: { latitude: 52.3759, longitude: 4.8975, time_zone: "Europe/Amsterdam" },
        subdivisions: [{ iso_code: "NH", names: { en: "North Holland" } }],
      },
    ],
  ]),
);

const EXPECTED_GEO = {
  city_name: "Amsterdam",
  continent_name: "Europe",
  country_iso_code: "NL",
  country_name: "Netherlands",
  region_iso_code: "NL-NH",
  region_name: "North Holland",
  location: { lat: 52.3759, lon: 4.8975 },
};

test("loadEnricher with a City database writes the geoip processor's City fields", async () => {
  const enricher = await loadEnricher(undefined, cityDb);
  const doc: Document = { source: { ip: OUTSIDE_IP } };
  enricher.enrich(doc);
  assert.deepEqual((doc.source as Document).geo, EXPECTED_GEO);
});

test("without --geo-db the bundled country data gives no city", async () => {
  const enricher = await loadEnricher(undefined);
  const doc: Document = { source: { ip: OUTSIDE_IP } };
  enricher.enrich(doc);
  const geo = (doc.source as Document).geo as Document | undefined;
  assert.equal(geo?.city_name, undefined);
});

test("trailwatch query --geo-db: city fields are queryable", () => {
  const input = join(dir, "records.json");
  const record = webIdentityAssume({ at: "2026-11-20T10:00:00Z", ip: OUTSIDE_IP });
  writeFileSync(input, JSON.stringify({ Records: [record] }));
  const query =
    "FROM logs-aws.cloudtrail-* | KEEP source.geo.city_name, source.geo.region_iso_code, source.geo.continent_name";
  const { code, stdout, stderr } = runCli(["query", query, input, "--format", "ndjson", "--geo-db", cityDb]);
  assert.equal(code, 0, stderr);
  const row = JSON.parse(stdout.trim()) as Record<string, unknown>;
  assert.equal(row["source.geo.city_name"], "Amsterdam");
  assert.equal(row["source.geo.region_iso_code"], "NL-NH");
  assert.equal(row["source.geo.continent_name"], "Europe");
});

test("an unreadable --geo-db is a usage error naming the option and file", () => {
  const bad = join(dir, "not-a-db.mmdb");
  writeFileSync(bad, "nope");
  const input = join(dir, "one.json");
  writeFileSync(input, JSON.stringify({ Records: [webIdentityAssume({ at: "2026-11-20T10:00:00Z" })] }));
  const { code, stderr } = runCli(["query", "FROM logs-aws.cloudtrail-* | LIMIT 1", input, "--geo-db", bad]);
  assert.equal(code, 1);
  assert.match(stderr, /--geo-db .*not-a-db\.mmdb/);
  assert.doesNotMatch(stderr, /\n\s+at /);
});

test("trailwatch normalize --geo-db writes the City fields into the documents", () => {
  const input = join(dir, "normalize.json");
  const record = webIdentityAssume({ at: "2026-11-20T10:00:00Z", ip: OUTSIDE_IP });
  writeFileSync(input, JSON.stringify({ Records: [record] }));
  const { code, stdout, stderr } = runCli(["normalize", input, "--geo-db", cityDb]);
  assert.equal(code, 0, stderr);
  const doc = JSON.parse(stdout.trim()) as { source: { geo: unknown } };
  assert.deepEqual(doc.source.geo, EXPECTED_GEO);
});

test("trailwatch scan --geo-db: alerts carry the City fields, also when workers do the enriching", () => {
  const input = join(dir, "scan");
  mkdirSync(input);
  for (const [file, at] of [
    ["a.json", "2026-11-20T10:00:00Z"],
    ["b.json", "2026-11-20T11:00:00Z"],
  ]) {
    writeFileSync(join(input, file), JSON.stringify({ Records: [webIdentityAssume({ at, ip: OUTSIDE_IP })] }));
  }
  for (const workers of ["1", "2"]) {
    const args = ["scan", input, "--format", "ndjson", "--geo-db", cityDb, "--workers", workers, "--quiet"];
    const { code, stdout, stderr } = runCli(args);
    assert.equal(code, 0, stderr);
    const alerts = stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const external = alerts.filter((a) => String(a["kibana.alert.rule.name"]).includes("External ASN"));
    assert.equal(external.length, 2, `workers ${workers}`);
    for (const a of external) assert.equal((a.source as { geo: { city_name: string } }).geo.city_name, "Amsterdam");
  }
});
