/**
 * Finds which of a fixed list of strings occur in a text, in one pass over the text (Aho–Corasick over UTF-16 code
 * units, so "occurs" means exactly what String.prototype.includes means). Checking uap-core's ≈ 3,000 required
 * literals one `includes` at a time cost more per user agent than the regexes left to run. The trie lives in flat
 * arrays and one edge map: a Map per node made building it cost more than the scans it saves.
 */
const UNITS = 0x10000;

export class LiteralScanner {
  /** Edge from node n on code unit c, under the key n * UNITS + c. Node 0 is the root. */
  readonly #edges = new Map<number, number>();
  /** Per node: its first child and its next sibling (-1: none), to walk the trie breadth first. */
  readonly #firstChild: number[] = [-1];
  readonly #nextSibling: number[] = [-1];
  readonly #unit: number[] = [0];
  /** Per node: the node of its longest proper suffix that is also in the trie. */
  readonly #fail: number[] = [0];
  /** Per node: the literals (by index) that end here, including through its suffixes. */
  readonly #ends: number[][] = [[]];

  constructor(literals: readonly string[]) {
    literals.forEach((literal, index) => {
      let node = 0;
      for (let i = 0; i < literal.length; i++) node = this.#child(node, literal.charCodeAt(i));
      this.#ends[node].push(index);
    });
    this.#link();
  }

  /** Sets present[offset + i] to 1 for every literal i that occurs in text. */
  mark(text: string, present: Uint8Array, offset = 0): void {
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let next = this.#edges.get(node * UNITS + c);
      while (next === undefined && node !== 0) {
        node = this.#fail[node];
        next = this.#edges.get(node * UNITS + c);
      }
      node = next ?? 0;
      const ends = this.#ends[node];
      for (let k = 0; k < ends.length; k++) present[offset + ends[k]] = 1;
    }
  }

  #child(node: number, c: number): number {
    let child = this.#edges.get(node * UNITS + c);
    if (child === undefined) {
      child = this.#fail.length;
      this.#edges.set(node * UNITS + c, child);
      this.#firstChild.push(-1);
      this.#nextSibling.push(this.#firstChild[node]);
      this.#firstChild[node] = child;
      this.#unit.push(c);
      this.#fail.push(0);
      this.#ends.push([]);
    }
    return child;
  }

  /** Suffix links, breadth first so that a node's suffix is linked before the node. */
  #link(): void {
    const queue: number[] = [];
    for (let child = this.#firstChild[0]; child !== -1; child = this.#nextSibling[child]) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head];
      for (let child = this.#firstChild[node]; child !== -1; child = this.#nextSibling[child]) {
        const c = this.#unit[child];
        let suffix = this.#fail[node];
        let target = this.#edges.get(suffix * UNITS + c);
        while (target === undefined && suffix !== 0) {
          suffix = this.#fail[suffix];
          target = this.#edges.get(suffix * UNITS + c);
        }
        this.#fail[child] = target ?? 0;
        const inherited = this.#ends[this.#fail[child]];
        if (inherited.length > 0) this.#ends[child] = [...this.#ends[child], ...inherited];
        queue.push(child);
      }
    }
  }
}
