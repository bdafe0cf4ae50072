import { type CountryResponse, Reader } from "maxmind";
import { type BundledFile, readBundledFile } from "./bundled-file.ts";
import { countryNames } from "./country-names.ts";
import { parseIp } from "./ip.ts";
import { lookupRecord } from "./mmdb.ts";
import { isSpecialPurpose } from "./special-ranges.ts";
import type { GeoDatabase, GeoInfo } from "./types.ts";

const BUNDLED_COUNTRY_FILE: BundledFile = "geo-country.mmdb";

/** This database's records hold only an ISO country code. */
type CountryRecord = CountryResponse & { country_code?: string };

/**
 * Country-level geo from the bundled @ip-location-db/geo-whois-asn-country database (see NOTICE): country and
 * continent only, named as GeoLite2 names them. No region, city or location: use loadMmdbGeo for those.
 */
export function loadBundledGeo(shared?: Uint8Array): GeoDatabase {
  const bytes = shared ?? readBundledFile(BUNDLED_COUNTRY_FILE);
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return countryGeoDatabase(new Reader<CountryRecord>(data));
}

/**
 * The bundled database's bytes in shared memory (SharedArrayBuffer), for `loadBundledGeo(shared)` in worker threads:
 * they all read one copy instead of decompressing their own.
 */
export function bundledGeoBytesShared(): Uint8Array {
  return readBundledFile(BUNDLED_COUNTRY_FILE, true);
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
