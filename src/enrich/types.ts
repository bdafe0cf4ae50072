/** What an ASN lookup gives: Elasticsearch's geoip processor `asn` and `organization_name` properties. */
export interface AsnInfo {
  number: number;
  organization?: string;
}

export interface AsnDatabase {
  /** Looks up an IPv4 or IPv6 literal; undefined for no hit, private or reserved addresses, and non-literals. */
  lookup(ip: string): AsnInfo | undefined;
}

/** The geoip processor's default GeoLite2-City properties, named as it writes them under `source.geo`. */
export interface GeoInfo {
  continent_name?: string;
  country_iso_code?: string;
  country_name?: string;
  region_iso_code?: string;
  region_name?: string;
  city_name?: string;
  location?: { lat: number; lon: number };
}

export interface GeoDatabase {
  lookup(ip: string): GeoInfo | undefined;
}
