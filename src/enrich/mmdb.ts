import maxmind, { type AsnResponse, type CityResponse, type Reader, type Response } from "maxmind";
import { formatIPv4, formatIPv6, parseIp } from "./ip.ts";
import type { AsnDatabase, AsnInfo, GeoDatabase, GeoInfo } from "./types.ts";

/** A GeoLite2-ASN or DB-IP ASN `.mmdb`, read as Elasticsearch's geoip processor reads it (`asn`, `organization_name`). */
export async function loadMmdbAsn(file: string): Promise<AsnDatabase> {
  return asnDatabaseFromReader(await maxmind.open<AsnResponse>(file));
}

/** A GeoLite2-City (or Country, or DB-IP City) `.mmdb`, mapped to the geoip processor's default City properties. */
export async function loadMmdbGeo(file: string): Promise<GeoDatabase> {
  return geoDatabaseFromReader(await maxmind.open<CityResponse>(file));
}

export function asnDatabaseFromReader(reader: Reader<AsnResponse>): AsnDatabase {
  return {
    lookup(text: string): AsnInfo | undefined {
      const record = lookupRecord(reader, text);
      // Elasticsearch would still write an organization without a number; AsnInfo needs the number, so no hit.
      if (record?.autonomous_system_number == null) return undefined;
      const info: AsnInfo = { number: record.autonomous_system_number };
      if (record.autonomous_system_organization != null) info.organization = record.autonomous_system_organization;
      return info;
    },
  };
}

export function geoDatabaseFromReader(reader: Reader<CityResponse>): GeoDatabase {
  return {
    lookup(text: string): GeoInfo | undefined {
      const record = lookupRecord(reader, text);
      return record ? geoInfoOf(record) : undefined;
    },
  };
}

/** The geoip processor's City mapping: English names, the most specific subdivision, location only with both axes. */
function geoInfoOf(record: CityResponse): GeoInfo | undefined {
  const info: GeoInfo = {};
  const countryIso = record.country?.iso_code;
  const subdivision = record.subdivisions?.at(-1);
  if (record.continent?.names?.en != null) info.continent_name = record.continent.names.en;
  if (countryIso != null) info.country_iso_code = countryIso;
  if (record.country?.names?.en != null) info.country_name = record.country.names.en;
  if (countryIso != null && subdivision?.iso_code != null)
    info.region_iso_code = `${countryIso}-${subdivision.iso_code}`;
  if (subdivision?.names?.en != null) info.region_name = subdivision.names.en;
  if (record.city?.names?.en != null) info.city_name = record.city.names.en;
  const { latitude, longitude } = record.location ?? {};
  if (latitude != null && longitude != null) info.location = { lat: latitude, lon: longitude };
  return Object.keys(info).length > 0 ? info : undefined;
}

/**
 * Looks an IP literal up; anything else is no hit. IPv4-mapped IPv6 is looked up as IPv4, as Elasticsearch does
 * (Java turns `::ffff:a.b.c.d` into an IPv4 address), since not every database aliases that block.
 */
export function lookupRecord<T extends Response>(reader: Reader<T>, text: string): T | undefined {
  const ip = parseIp(text);
  if (!ip) return undefined;
  return reader.get(ip.version === 4 ? formatIPv4(ip.value) : formatIPv6(ip.words)) ?? undefined;
}
