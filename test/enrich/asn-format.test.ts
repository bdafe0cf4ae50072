import assert from "node:assert/strict";
import { it } from "node:test";
import { type AsnTable, decodeAsnTable, encodeAsnTable, NO_ORG } from "../../src/enrich/asn-format.ts";

it("round-trips a table, organization names with commas, quotes and non-ASCII included", () => {
  const table: AsnTable = {
    v4Start: Uint32Array.of(16777216, 16778240),
    v4End: Uint32Array.of(16777471, 16779263),
    v4Entry: Uint32Array.of(0, 1),
    v6Start: Uint32Array.of(0x20010000, 0, 0, 0),
    v6End: Uint32Array.of(0x20010000, 0xffffffff, 0xffffffff, 0xffffffff),
    v6Entry: Uint32Array.of(2),
    entryAsn: Uint32Array.of(13335, 38803, 6939),
    entryOrg: Uint32Array.of(0, NO_ORG, 1),
    orgs: ["Cloudflare, Inc.", 'LLC "Telekom" Ünïcode'],
    source: "test@1",
  };
  const decoded = decodeAsnTable(encodeAsnTable(table));
  assert.deepEqual({ ...decoded }, { ...table });
});

it("rejects data that is not an ASN table", () => {
  assert.throws(() => decodeAsnTable(Buffer.alloc(64)), /not a trailwatch ASN table/);
});
