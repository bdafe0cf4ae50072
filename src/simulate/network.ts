/**
 * Address pools. Every pool is tied to the AS organization it must resolve to in the bundled ASN data
 * (test/simulate checks it), because the ASN rule's verdict depends on exactly that.
 */
import type { Random } from "./random.ts";

export interface AddressPool {
  /** What the addresses are, for ground truth and reports. */
  label: string;
  /** The AS organization the bundled ASN data gives these addresses. */
  organization: string;
  /** Prefixes to draw from: IPv4 as "a.b." (two octets drawn) or IPv6 as "x:y:z:w::" (interface id drawn). */
  prefixes: string[];
}

/** Elastic IPs of NAT gateways and EC2 instances, per region (AS16509/AS14618, "Amazon.com, Inc."). */
export const AMAZON_EGRESS: Record<string, AddressPool> = {
  "us-east-1": { label: "AWS us-east-1", organization: "Amazon.com, Inc.", prefixes: ["3.80.", "54.160.", "52.4."] },
  "us-west-2": { label: "AWS us-west-2", organization: "Amazon.com, Inc.", prefixes: ["44.238.", "34.222.", "18.236."] },
  "eu-west-1": { label: "AWS eu-west-1", organization: "Amazon.com, Inc.", prefixes: ["34.240.", "52.208.", "54.72."] },
};
export const REGIONS = Object.keys(AMAZON_EGRESS);

/** IPv6 space of EC2 in us-east-1, for an attacker instance with a public IPv6 address. */
export const AMAZON_IPV6: AddressPool = {
  label: "AWS us-east-1 IPv6",
  organization: "Amazon.com, Inc.",
  prefixes: ["2600:1f18:4a3:6902::"],
};

/** Rented servers outside AWS: the usual place to redeem a stolen token. */
export const VPS: AddressPool[] = [
  { label: "DigitalOcean", organization: "DigitalOcean, LLC", prefixes: ["167.99.", "142.93.", "68.183."] },
  { label: "DigitalOcean IPv6", organization: "DigitalOcean, LLC", prefixes: ["2604:a880:800:10::"] },
  { label: "Hetzner IPv6", organization: "Hetzner Online GmbH", prefixes: ["2a01:4f8:c17:1::"] },
  { label: "Vultr", organization: "The Constant Company, LLC", prefixes: ["45.77."] },
];

/** Networks that host many Tor exit relays. */
export const TOR_EXITS: AddressPool[] = [
  { label: "Tor exit", organization: "Stiftung Erneuerbare Freiheit", prefixes: ["185.220.101."] },
  { label: "Tor exit IPv6", organization: "Stiftung Erneuerbare Freiheit", prefixes: ["2a0b:f4c2:2::"] },
];

/** Engineers' office and home broadband. */
export const OFFICE: AddressPool = {
  label: "office broadband",
  organization: "Comcast Cable Communications, LLC",
  prefixes: ["73.12."],
};

/** GitHub-hosted Actions runners run in Azure. */
export const GITHUB_RUNNERS: AddressPool = {
  label: "GitHub Actions (Azure)",
  organization: "Microsoft Corporation",
  prefixes: ["20.57.", "4.175."],
};

export function drawAddress(pool: AddressPool, rng: Random): string {
  const prefix = rng.pick(pool.prefixes);
  if (prefix.includes(":")) return `${prefix}${rng.hex(1 + rng.int(3))}${rng.between(1, 9)}`;
  const dots = prefix.split(".").length - 1;
  return dots === 3 ? `${prefix}${rng.between(2, 254)}` : `${prefix}${rng.between(0, 255)}.${rng.between(2, 254)}`;
}
