/**
 * The Java objects Elasticsearch's json processor builds (Jackson through XContent): one HashMap per JSON object,
 * ArrayList per array, and numbers typed by their lexeme. Keeping the lexeme is what lets `1.0` print as `1.0` and
 * keeps integers beyond 2^53 exact.
 */
export type JavaValue = string | boolean | null | JavaNumber | JavaValue[] | JavaMap;

export class JavaNumber {
  /** `text` is the JSON lexeme; `isDouble` when it has a fraction or exponent (Jackson gives a Double). */
  constructor(
    readonly text: string,
    readonly isDouble: boolean,
  ) {}
}

/** A HashMap<String,Object> as built by inserting its keys in JSON order into a default-capacity table. */
export class JavaMap {
  readonly keys: string[] = [];
  readonly values: JavaValue[] = [];
  readonly hashes: number[] = [];
  /** Table length reached while inserting every parsed key; removals never shrink it. 0 until the first put. */
  capacity = 0;
  /** Set when some bucket became a red-black tree, whose iteration order we do not emulate. */
  treeified = false;

  get(key: string): JavaValue | undefined {
    const i = this.keys.indexOf(key);
    return i < 0 ? undefined : this.values[i];
  }

  has(key: string): boolean {
    return this.keys.indexOf(key) >= 0;
  }

  /** Removes a key the way `Map.remove` does: the table keeps its size. */
  remove(key: string): JavaValue | undefined {
    const i = this.keys.indexOf(key);
    if (i < 0) return undefined;
    const value = this.values[i];
    this.keys.splice(i, 1);
    this.values.splice(i, 1);
    this.hashes.splice(i, 1);
    return value;
  }

  get size(): number {
    return this.keys.length;
  }
}

export function isJavaMap(v: JavaValue | undefined): v is JavaMap {
  return v instanceof JavaMap;
}
