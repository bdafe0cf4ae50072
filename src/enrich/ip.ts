import { isIP } from "node:net";

/**
 * A parsed IP literal. IPv6 is four big-endian 32-bit words, so ranges compare word by word without BigInt.
 *
 * IPv4-mapped IPv6 (`::ffff:a.b.c.d`) parses as the IPv4 address: Java's InetAddress (what Elasticsearch's geoip
 * processor uses) does the same, and MaxMind databases alias that block to their IPv4 tree.
 */
export type IpAddress = { version: 4; value: number } | { version: 6; words: Uint32Array };

/** Parses an IPv4 or IPv6 literal (an IPv6 zone id is ignored); anything else, hostnames included, is undefined. */
export function parseIp(text: string): IpAddress | undefined {
  const version = isIP(text);
  if (version === 4) return { version: 4, value: ipv4ToNumber(text) };
  if (version !== 6) return undefined;
  const words = parseIPv6(text);
  if (words[0] === 0 && words[1] === 0 && words[2] === 0xffff) return { version: 4, value: words[3] };
  return { version: 6, words };
}

/** `text` must already be a valid dotted quad. */
export function ipv4ToNumber(text: string): number {
  let value = 0;
  for (const part of text.split(".")) value = value * 256 + Number(part);
  return value;
}

/** `text` must already be a valid IPv6 literal (net.isIP said so). */
function parseIPv6(text: string): Uint32Array {
  const zone = text.indexOf("%");
  let body = zone >= 0 ? text.slice(0, zone) : text;
  const hextets: number[] = [];
  // A trailing dotted quad stands for the last two hextets.
  const lastColon = body.lastIndexOf(":");
  let tail: number[] = [];
  if (body.indexOf(".", lastColon) >= 0) {
    const v4 = ipv4ToNumber(body.slice(lastColon + 1));
    tail = [v4 >>> 16, v4 & 0xffff];
    body = body.slice(0, lastColon + 1);
    if (!body.endsWith("::")) body = body.slice(0, -1);
  }
  const gap = body.indexOf("::");
  const groups = (s: string): number[] => (s === "" ? [] : s.split(":").map((h) => Number.parseInt(h, 16)));
  if (gap >= 0) {
    const head = groups(body.slice(0, gap));
    const rest = groups(body.slice(gap + 2));
    const fill = 8 - head.length - rest.length - tail.length;
    hextets.push(...head, ...new Array<number>(fill).fill(0), ...rest, ...tail);
  } else {
    hextets.push(...groups(body), ...tail);
  }
  const words = new Uint32Array(4);
  for (let i = 0; i < 4; i++) words[i] = ((hextets[2 * i] << 16) | hextets[2 * i + 1]) >>> 0;
  return words;
}

/** Formats an IPv4 number as a dotted quad (used by the data builder and tests). */
export function formatIPv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join(".");
}

/** Formats four IPv6 words as a full (uncompressed) literal. */
export function formatIPv6(words: ArrayLike<number>): string {
  const parts: string[] = [];
  for (let i = 0; i < 4; i++) parts.push((words[i] >>> 16).toString(16), (words[i] & 0xffff).toString(16));
  return parts.join(":");
}
