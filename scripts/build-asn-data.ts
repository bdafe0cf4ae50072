/**
 * Builds the bundled databases from pinned devDependencies; run once after bumping either package:
 * `node --import tsx scripts/build-asn-data.ts`.
 * - @ip-location-db/asn CSVs → data/asn.bin.br, the compact range table loadBundledAsn() reads;
 * - @ip-location-db/geo-whois-asn-country-mmdb → data/geo-country.mmdb.br (the .mmdb, Brotli-compressed) for
 *   loadBundledGeo().
 */
import { readFileSync, writeFileSync } from "node:fs";
import { brotliCompressSync, constants } from "node:zlib";
import { type AsnTable, encodeAsnTable, NO_ORG } from "../src/enrich/asn-format.ts";
import { parseCsvLine } from "../src/enrich/csv-line.ts";

const packageDir = new URL("../node_modules/@ip-location-db/asn/", import.meta.url);
const output = new URL("../data/asn.bin.br", import.meta.url);

interface Row {
  start: bigint;
  end: bigint;
  entry: number;
}

const entries = new Map<string, number>();
const entryAsn: number[] = [];
const entryOrg: number[] = [];
const orgIndex = new Map<string, number>();
const orgs: string[] = [];

function entryOf(asn: number, org: string): number {
  const key = `${asn}\t${org}`;
  let id = entries.get(key);
  if (id === undefined) {
    id = entryAsn.length;
    entries.set(key, id);
    entryAsn.push(asn);
    let o = NO_ORG;
    if (org !== "") {
      o = orgIndex.get(org) ?? orgs.length;
      if (o === orgs.length) {
        orgIndex.set(org, o);
        orgs.push(org);
      }
    }
    entryOrg.push(o);
  }
  return id;
}

/** Reads a `*-num.csv` (start,end,asn,org with inclusive numeric bounds), merging touching rows of one entry. */
function readRows(file: string, maxValue: bigint): Row[] {
  const rows: Row[] = [];
  const lines = readFileSync(new URL(file, packageDir), "utf8").split("\n");
  for (const [n, line] of lines.entries()) {
    if (line === "") continue;
    const [startText, endText, asnText, org = ""] = parseCsvLine(line);
    const start = BigInt(startText);
    const end = BigInt(endText);
    const asn = Number(asnText);
    if (!(start <= end && end <= maxValue && Number.isInteger(asn) && asn > 0 && asn <= 0xffffffff)) {
      throw new Error(`${file}:${n + 1}: bad row ${line}`);
    }
    const entry = entryOf(asn, org);
    let last = rows.at(-1);
    if (last && start < last.start) throw new Error(`${file}:${n + 1}: rows out of order`);
    if (last && start <= last.end) {
      // The published data has a few overlaps ("contains bugs", says its README); the later row wins, as when
      // ranges are inserted in order into an MMDB tree. A row nested inside the previous one would need a split.
      if (end < last.end) throw new Error(`${file}:${n + 1}: row nested inside the previous one`);
      console.warn(`${file}:${n + 1}: overlaps the previous row; the previous row now ends at ${start - 1n}`);
      last.end = start - 1n;
      if (last.end < last.start) rows.pop();
      last = rows.at(-1);
    }
    if (last && last.entry === entry && start === last.end + 1n) last.end = end;
    else rows.push({ start, end, entry });
  }
  return rows;
}

function words(value: bigint, into: Uint32Array, at: number): void {
  for (let i = 3; i >= 0; i--) {
    into[at + i] = Number(value & 0xffffffffn);
    value >>= 32n;
  }
}

const v4 = readRows("asn-ipv4-num.csv", 0xffffffffn);
const v6 = readRows("asn-ipv6-num.csv", (1n << 128n) - 1n);
const v6Start = new Uint32Array(v6.length * 4);
const v6End = new Uint32Array(v6.length * 4);
v6.forEach((row, i) => {
  words(row.start, v6Start, i * 4);
  words(row.end, v6End, i * 4);
});
const pkg = JSON.parse(readFileSync(new URL("package.json", packageDir), "utf8")) as { name: string; version: string };
const table: AsnTable = {
  v4Start: Uint32Array.from(v4, (r) => Number(r.start)),
  v4End: Uint32Array.from(v4, (r) => Number(r.end)),
  v4Entry: Uint32Array.from(v4, (r) => r.entry),
  v6Start,
  v6End,
  v6Entry: Uint32Array.from(v6, (r) => r.entry),
  entryAsn: Uint32Array.from(entryAsn),
  entryOrg: Uint32Array.from(entryOrg),
  orgs,
  source: `${pkg.name}@${pkg.version}`,
};
const encoded = brotliCompressSync(encodeAsnTable(table), {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 },
});
writeFileSync(output, encoded);
console.log(
  `${output.pathname}: ${encoded.length} bytes; ${v4.length} IPv4 and ${v6.length} IPv6 ranges, ` +
    `${entryAsn.length} (ASN, organization) entries, ${orgs.length} organizations, from ${table.source}`,
);

const countryMmdb = readFileSync(
  new URL("../node_modules/@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb", import.meta.url),
);
const countryOutput = new URL("../data/geo-country.mmdb.br", import.meta.url);
const compressedCountry = brotliCompressSync(countryMmdb, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 },
});
writeFileSync(countryOutput, compressedCountry);
console.log(`${countryOutput.pathname}: ${compressedCountry.length} bytes from ${countryMmdb.length} bytes`);
