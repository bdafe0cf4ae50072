/** Builds an enricher from its spec, the same way in every worker. */
import { createEnricher, type Enricher, loadBundledAsn, loadBundledGeo, loadMmdbAsn } from "../../enrich/index.ts";
import type { EnrichmentSpec } from "./protocol.ts";

export async function enricherFromSpec(spec: EnrichmentSpec): Promise<Enricher> {
  return spec.asnDb ? createEnricher({ asn: await loadMmdbAsn(spec.asnDb), geo: loadBundledGeo() }) : bundledEnricher();
}

/** The bundled ASN and geo data. */
export function bundledEnricher(): Enricher {
  return createEnricher({ asn: loadBundledAsn(), geo: loadBundledGeo() });
}

/**
 * An enricher that loads the bundled data on first use: when workers do the enriching, the main thread never pays
 * for a copy of the tables it would not use.
 */
export function lazyBundledEnricher(): Enricher {
  let loaded: Enricher | undefined;
  return {
    enrich: (doc) => {
      loaded ??= bundledEnricher();
      loaded.enrich(doc);
    },
  };
}
