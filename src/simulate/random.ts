/**
 * A seeded pseudo-random generator (sfc32, seeded through a string hash) so a simulation is the same for the same
 * seed on every machine. Math.random is never used by the simulator.
 */
const HEX = "0123456789abcdef";
/** The alphabet AWS uses for access key and role ids after the 4-letter prefix. */
const KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const codesOf = (alphabet: string) => Array.from(alphabet, (c) => c.charCodeAt(0));
const HEX_CODES = codesOf(HEX);
const KEY_CODES = codesOf(KEY_CHARS);
const ALNUM_CODES = codesOf(ALNUM);
const BASE64_CODES = codesOf(BASE64);
const DASH = 45;
const FOUR = 52;

/**
 * Character codes of the string being drawn, one reused array per length: one flat string is made from them at the
 * end, instead of a chain of one-character concatenations that the garbage collector then has to clear.
 */
const codeArrays: number[][] = [];
const codesFor = (n: number) => (codeArrays[n] ??= Array.from({ length: n }, () => 0));

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string | number) {
    const h = hashSeed(String(seed));
    this.a = h[0];
    this.b = h[1];
    this.c = h[2];
    this.d = h[3];
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A generator for a sub-stream, so adding draws in one part of the simulation does not shift another part. */
  fork(label: string): Random {
    return new Random(`${this.uint32()}:${label}`);
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }

  /** Exponentially distributed waiting time with the given mean: the gap between Poisson arrivals. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  hex(n: number): string {
    const codes = codesFor(n);
    for (let i = 0; i < n; i++) codes[i] = HEX_CODES[this.uint32() & 15];
    return String.fromCharCode.apply(null, codes);
  }

  keyChars(n: number): string {
    const codes = codesFor(n);
    for (let i = 0; i < n; i++) codes[i] = KEY_CODES[this.uint32() & 31];
    return String.fromCharCode.apply(null, codes);
  }

  alnum(n: number): string {
    const codes = codesFor(n);
    for (let i = 0; i < n; i++) codes[i] = ALNUM_CODES[this.int(62)];
    return String.fromCharCode.apply(null, codes);
  }

  /** Base64 characters, 5 per 32-bit draw. */
  base64(n: number): string {
    const codes = codesFor(n);
    for (let i = 0; i < n; i += 5) {
      let x = this.uint32();
      for (let j = 0; j < 5 && i + j < n; j++, x >>>= 6) codes[i + j] = BASE64_CODES[x & 63];
    }
    return String.fromCharCode.apply(null, codes);
  }

  /** A version-4 UUID: 32 hex digits from 128 drawn bits, with the version and variant digits fixed. */
  uuid(): string {
    const codes = codesFor(36);
    const b = this.uint32();
    const c = this.uint32();
    hexDigits(codes, this.uint32(), 0, 8);
    hexDigits(codes, b >>> 16, 9, 4);
    codes[14] = FOUR;
    hexDigits(codes, b & 0xfff, 15, 3);
    codes[19] = HEX_CODES[8 + (c >>> 30)];
    hexDigits(codes, (c >>> 16) & 0xfff, 20, 3);
    hexDigits(codes, c & 0xffff, 24, 4);
    hexDigits(codes, this.uint32(), 28, 8);
    codes[8] = codes[13] = codes[18] = codes[23] = DASH;
    return String.fromCharCode.apply(null, codes);
  }

  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = xs[i];
      xs[i] = xs[j];
      xs[j] = t;
    }
    return xs;
  }
}

/** Writes the low `count` hex digits of `x` into codes[at…], most significant first. */
function hexDigits(codes: number[], x: number, at: number, count: number): void {
  for (let i = count - 1; i >= 0; i--, x >>>= 4) codes[at + i] = HEX_CODES[x & 15];
}

/** cyrb128: spreads a string over four 32-bit words. */
function hashSeed(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}
