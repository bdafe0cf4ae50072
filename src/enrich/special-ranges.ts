import { type IpAddress, ipv4ToNumber } from "./ip.ts";

/**
 * Addresses that never belong to a public AS: private (RFC 1918, ULA), loopback, link-local, CGNAT, documentation,
 * benchmarking, multicast and reserved blocks (IANA special-purpose registries). The bundled data has errors
 * (its README says so), so these are refused before the table is consulted rather than trusted to be absent.
 */
const IPV4_BLOCKS: ReadonlyArray<readonly [number, number]> = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
].map(([base, bits]) => [ipv4ToNumber(base as string), bits as number] as const);

/** IPv6 outside 2000::/3 is not global unicast; within it, these blocks are documentation or benchmarking only. */
const IPV6_GLOBAL_EXCEPTIONS: ReadonlyArray<readonly [number, number, number]> = [
  // [first word, second word, prefix length ≤ 64]
  [0x20010db8, 0, 32],
  [0x20010002, 0, 48],
  [0x3fff0000, 0, 20],
];

export function isSpecialPurpose(ip: IpAddress): boolean {
  if (ip.version === 4) {
    for (const [base, bits] of IPV4_BLOCKS) if (ip.value >>> (32 - bits) === base >>> (32 - bits)) return true;
    return false;
  }
  const [w0, w1] = ip.words;
  if (w0 >>> 29 !== 0b001) return true;
  for (const [b0, b1, bits] of IPV6_GLOBAL_EXCEPTIONS) {
    if (bits <= 32 ? w0 >>> (32 - bits) === b0 >>> (32 - bits) : w0 === b0 && w1 >>> (64 - bits) === b1 >>> (64 - bits))
      return true;
  }
  return false;
}
