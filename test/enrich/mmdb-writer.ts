/**
 * A minimal MaxMind DB (format 2.0) writer for tests: an IPv6 tree with 24-bit records, IPv4 networks stored under
 * ::/96 as MaxMind's own databases do, and a data section of maps, strings, doubles and unsigned integers.
 */
import { parseIp } from "../../src/enrich/ip.ts";

export type MmdbValue = string | number | MmdbValue[] | { [key: string]: MmdbValue };

interface TrieNode {
  children: [TrieNode | number | undefined, TrieNode | number | undefined]; // number = data offset
}

/** Types are chosen by value: integers become uint32, other numbers doubles; `doubles` forces keys to double. */
export function encodeValue(value: MmdbValue, doubleKeys: ReadonlySet<string>, key = ""): Buffer {
  if (typeof value === "string") return withControl(2, Buffer.from(value, "utf8"));
  if (typeof value === "number") {
    if (Number.isInteger(value) && value >= 0 && value <= 0xffffffff && !doubleKeys.has(key)) {
      const bytes: number[] = [];
      for (let v = value; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
      return withControl(6, Buffer.from(bytes));
    }
    const payload = Buffer.alloc(8);
    payload.writeDoubleBE(value);
    return withControl(3, payload);
  }
  if (Array.isArray(value)) {
    return withControl(11, Buffer.concat(value.map((item) => encodeValue(item, doubleKeys))), value.length);
  }
  const parts = Object.entries(value).flatMap(([k, v]) => [encodeValue(k, doubleKeys), encodeValue(v, doubleKeys, k)]);
  return withControl(7, Buffer.concat(parts), Object.keys(value).length);
}

/** Control byte(s) for a type and size (size defaults to the payload length), then the payload. */
function withControl(type: number, payload: Buffer, size = payload.length): Buffer {
  const head: number[] = [];
  let sizeBits: number;
  const extra: number[] = [];
  if (size < 29) sizeBits = size;
  else if (size < 285) {
    sizeBits = 29;
    extra.push(size - 29);
  } else {
    sizeBits = 30;
    extra.push((size - 285) >> 8, (size - 285) & 255);
  }
  if (type <= 7) head.push((type << 5) | sizeBits);
  else head.push(sizeBits, type - 7);
  return Buffer.concat([Buffer.from([...head, ...extra]), payload]);
}

/** Builds a database holding each network (`"1.2.3.0/24"`, `"2001:db8::/32"`) with its record. */
export function buildMmdb(
  databaseType: string,
  networks: Array<[string, MmdbValue]>,
  doubleKeys: ReadonlySet<string> = new Set(["latitude", "longitude"]),
): Buffer {
  const root: TrieNode = { children: [undefined, undefined] };
  const data: Buffer[] = [];
  let dataLength = 0;
  for (const [cidr, record] of networks) {
    const [address, lengthText] = cidr.split("/");
    const ip = parseIp(address);
    if (!ip) throw new Error(`bad network ${cidr}`);
    const words = ip.version === 4 ? [0, 0, 0, ip.value] : Array.from(ip.words);
    const prefix = Number(lengthText) + (ip.version === 4 ? 96 : 0);
    const encoded = encodeValue(record, doubleKeys);
    const offset = dataLength;
    data.push(encoded);
    dataLength += encoded.length;
    let node = root;
    for (let bit = 0; bit < prefix; bit++) {
      const side = (words[bit >> 5] >>> (31 - (bit & 31))) & 1;
      if (bit === prefix - 1) {
        node.children[side] = offset;
      } else {
        let next = node.children[side];
        if (typeof next !== "object") {
          next = { children: [undefined, undefined] };
          node.children[side] = next;
        }
        node = next;
      }
    }
  }
  // Number nodes breadth-first, then write each as two 24-bit records.
  const nodes: TrieNode[] = [root];
  for (let i = 0; i < nodes.length; i++) {
    for (const child of nodes[i].children) if (typeof child === "object") nodes.push(child);
  }
  const index = new Map(nodes.map((n, i) => [n, i]));
  const nodeCount = nodes.length;
  const tree = Buffer.alloc(nodeCount * 6);
  nodes.forEach((node, i) => {
    node.children.forEach((child, side) => {
      const record =
        child === undefined ? nodeCount : typeof child === "number" ? nodeCount + 16 + child : index.get(child)!;
      tree.writeUIntBE(record, i * 6 + side * 3, 3);
    });
  });
  const metadata = encodeValue(
    {
      node_count: nodeCount,
      record_size: 24,
      ip_version: 6,
      database_type: databaseType,
      languages: ["en"],
      binary_format_major_version: 2,
      binary_format_minor_version: 0,
      build_epoch: 1_700_000_000,
      description: { en: "trailwatch test database" },
    },
    new Set(),
  );
  const marker = Buffer.concat([Buffer.from([0xab, 0xcd, 0xef]), Buffer.from("MaxMind.com", "latin1")]);
  return Buffer.concat([tree, Buffer.alloc(16), ...data, marker, metadata]);
}
