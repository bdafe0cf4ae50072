import { readFileSync } from "node:fs";
import { brotliDecompressSync } from "node:zlib";
import { type CountryResponse, Reader } from "maxmind";
import { countryNames } from "./country-names.ts";
import { parseIp } from "./ip.ts";
import { lookupRecord } from "./mmdb.ts";
import { isSpecialPurpose } from "./special-ranges.ts";
import type { GeoDatabase, GeoInfo } from "./types.ts";

/** Resolved from this module, so it works from src/enrich and dist/enrich alike. */
const BUNDLED_COUNTRY_FILE = new URL("../../data/geo-country.mmdb.br", import.meta.url);

/** This database's records hold only an ISO country code. */
type CountryRecord = CountryResponse & { country_code?: string };

/**
 * Country-level geo from the bundled @ip-location-db/geo-whois-asn-country database (see NOTICE): country and
 * continent only, named as GeoLite2 names them. No region, city or location: use loadMmdbGeo for those.
 */
export function loadBundledGeo(shared?: Uint8Array): GeoDatabase {
  const data = shared
    ? Buffer.from(shared.buffer, shared.byteOffset, shared.byteLength)
    : brotliDecompressSync(readFileSync(BUNDLED_COUNTRY_FILE));
  return countryGeoDatabase(new Reader<CountryRecord>(data));
}

/**
 * The bundled database's bytes in shared memory (SharedArrayBuffer), for `loadBundledGeo(shared)` in worker threads:
 * they all read one copy instead of decompressing their own.
 */
export function bundledGeoBytesShared(): Uint8Array {
  const raw = brotliDecompressSync(readFileSync(BUNDLED_COUNTRY_FILE));
  const shared = new Uint8Array(new SharedArrayBuffer(raw.length));
  shared.set(raw);
  return shared;
}

export function countryGeoDatabase(reader: Reader<CountryRecord>): GeoDatabase {
  return {
    lookup(text: string): GeoInfo | undefined {
      const ip = parseIp(text);
      if (!ip || isSpecialPurpose(ip)) return undefined;
      const code = lookupRecord(reader, text)?.country_code;
      if (!code) return undefined;
      const names = countryNames(code);
      return names
        ? { continent_name: names.continent_name, country_iso_code: code, country_name: names.country_name }
        : { country_iso_code: code };
    },
  };
}
