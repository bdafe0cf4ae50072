/**
 * Required literals of a regular expression, as RE2's and Hyperscan's prefilters derive them: sets of strings such
 * that every text the expression matches contains at least one string of each set. A few cheap `includes` over them
 * rule a pattern out before the regex engine runs. Only the syntax uap-core's patterns use is understood
 * (alternation, groups, classes, escapes, quantifiers, anchors, inline flags); anything else makes the analysis give
 * up, and no prefilter means the pattern is always tried, so a gap here costs speed, never a result.
 */

export interface RequiredLiterals {
  /** Each set holds non-empty strings; every match of the pattern contains at least one string of every set. */
  allOf: string[][];
  /** The literals are case-folded (see foldCase) and must be looked for in the folded text. */
  folded: boolean;
}

/**
 * Lower-cases text so that a case-insensitive RE2 match of an ASCII literal implies the folded literal occurs in the
 * folded text. toLowerCase covers every code point RE2 folds onto an ASCII letter except U+017F (long s), whose
 * lower case is itself.
 */
export function foldCase(text: string): string {
  return text.toLowerCase().replaceAll("\u017f", "s");
}

export function requiredLiterals(source: string, caseInsensitive: boolean): RequiredLiterals | undefined {
  // Folding is sound for case-sensitive patterns too, and turns classes such as [Ss][Pp][Ii] into literals.
  if (caseInsensitive) return tryAnalyse(source, true);
  const exact = tryAnalyse(source, false);
  if (exact !== undefined && !spellsOneWordTwice(exact.allOf[0])) return exact;
  const folded = tryAnalyse(source, true);
  if (exact === undefined || folded === undefined) return exact ?? folded;
  return selectivity(folded.allOf[0]) > selectivity(exact.allOf[0]) ? folded : exact;
}

/** Whether some literals differ only in case ([Bb]ot gives Bot and bot). */
function spellsOneWordTwice(literals: string[]): boolean {
  return new Set(literals.map(foldCase)).size < literals.length;
}

/** Ranks literal sets by how rarely a text holds one: longer shortest literal first, then fewer literals. */
function selectivity(literals: Iterable<string>): number {
  let shortest = Infinity;
  let count = 0;
  for (const s of literals) {
    shortest = Math.min(shortest, s.length);
    count++;
  }
  return shortest * 1000 - count;
}

function tryAnalyse(source: string, folded: boolean): RequiredLiterals | undefined {
  try {
    return analyse(source, folded);
  } catch (e) {
    if (e instanceof InlineCaseInsensitive) return tryAnalyse(source, true);
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

function analyse(source: string, folded: boolean): RequiredLiterals | undefined {
  const allOf = requiredOf(new Analyser(source, folded).pattern());
  if (allOf.length === 0) return undefined;
  // Most selective first, so that a failing check usually stops at the first set.
  const sets = allOf.sort((a, b) => selectivity(b) - selectivity(a)).map(minimal);
  return { allOf: sets, folded };
}

/** The analysis met syntax it does not model. */
class Unsupported extends Error {}
/** A `(?i)` flag inside a pattern analysed case-sensitively: start over, folding everything. */
class InlineCaseInsensitive extends Error {}

/** What a piece of a pattern tells about the text it matches. */
interface Info {
  /** Every string the piece can match, when they are few and all known. */
  exact?: Set<string>;
  /** Every match of the piece contains a string of each of these sets (each usable: see usable). */
  required: Set<string>[];
}

/** Largest exact set kept (cross products of alternatives grow fast). */
const EXACT_LIMIT = 16;
/** Largest set of required literals kept (uap-core's bot lists run to ≈ 200 names); `includes` stays far cheaper. */
const REQUIRED_LIMIT = 256;
/** Class items kept as an exact set of single characters. */
const CLASS_LIMIT = 8;

const REPETITION = /\{(\d+)(,(\d*))?\}/y;
/** After "(": non-capturing, named, or flags (alone, or for a non-capturing group). */
const GROUP_PREFIX = /\?(?:(:)|P?<[A-Za-z_][A-Za-z0-9_]*>|([imsU-]*)(:|\)))/y;

const SPECIAL = new Set([..."\\()[].^$|*+?{"]);
const QUANTIFIER_START = new Set([..."*+?{"]);

/** Printable ASCII that stands for itself in RE2 syntax outside a class. */
function isPlain(c: string): boolean {
  return c >= " " && c <= "~" && !SPECIAL.has(c);
}

const UNKNOWN: Info = { required: [] };
const EMPTY: Info = { exact: new Set([""]), required: [] };

class Analyser {
  #pos = 0;

  constructor(
    private readonly src: string,
    private readonly folded: boolean,
  ) {}

  pattern(): Info {
    const info = this.alternation();
    if (this.#pos < this.src.length) throw new Unsupported(`unexpected ${this.src[this.#pos]}`);
    return info;
  }

  private alternation(): Info {
    const branches = [this.sequence()];
    while (this.src[this.#pos] === "|") {
      this.#pos++;
      branches.push(this.sequence());
    }
    return branches.length === 1 ? branches[0] : alternate(branches);
  }

  private sequence(): Info {
    const items: Info[] = [];
    while (this.#pos < this.src.length && this.src[this.#pos] !== "|" && this.src[this.#pos] !== ")") {
      items.push(this.plainRun() ?? this.quantified(this.atom()));
    }
    return concatenate(items);
  }

  /** A run of plain ASCII characters, none of them quantified, as one literal (a shortcut: most of a pattern). */
  private plainRun(): Info | undefined {
    const start = this.#pos;
    let end = start;
    while (end < this.src.length && isPlain(this.src[end]) && !QUANTIFIER_START.has(this.src[end + 1])) end++;
    if (end === start) return undefined;
    this.#pos = end;
    const run = this.src.slice(start, end);
    return { exact: new Set([this.folded ? run.toLowerCase() : run]), required: [] };
  }

  private quantified(atom: Info): Info {
    let info = atom;
    for (;;) {
      const c = this.src[this.#pos];
      let min: number;
      let max: number;
      if (c === "*" || c === "+" || c === "?") {
        this.#pos++;
        [min, max] = c === "*" ? [0, Infinity] : c === "+" ? [1, Infinity] : [0, 1];
      } else if (c === "{") {
        const m = this.sticky(REPETITION);
        // RE2 reads a brace that is no repetition as a literal; such patterns are left unanalysed.
        if (!m) throw new Unsupported("brace");
        this.#pos += m[0].length;
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      } else {
        return info;
      }
      if (this.src[this.#pos] === "?") this.#pos++; // non-greedy: the same strings
      info = repeat(info, min, max);
    }
  }

  private atom(): Info {
    const c = this.src[this.#pos];
    switch (c) {
      case "(":
        return this.group();
      case "[":
        return this.characterClass();
      case "\\":
        return this.escape();
      case ".":
        this.#pos++;
        return UNKNOWN;
      case "^":
      case "$":
        this.#pos++;
        return EMPTY;
      case "*":
      case "+":
      case "?":
        throw new Unsupported("quantifier without operand");
      default:
        return this.literal(this.readCodePoint());
    }
  }

  private group(): Info {
    this.#pos++;
    if (this.src[this.#pos] === "?") {
      const m = this.sticky(GROUP_PREFIX);
      if (!m) throw new Unsupported("group syntax");
      this.#pos += m[0].length;
      if (m[2] !== undefined) {
        const flags = m[2];
        // Case-insensitivity switched on anywhere: fold all literals. Switched off: folding stays sound.
        if (/^[^-]*i/.test(flags) && !this.folded) throw new InlineCaseInsensitive();
        // Flags alone, "(?i)", apply to the rest of the enclosing group and match nothing themselves.
        if (m[3] === ")") return EMPTY;
      }
    }
    const inner = this.alternation();
    if (this.src[this.#pos] !== ")") throw new Unsupported("unclosed group");
    this.#pos++;
    return inner;
  }

  private characterClass(): Info {
    this.#pos++;
    const negated = this.src[this.#pos] === "^";
    if (negated) this.#pos++;
    const chars = new Set<string>();
    let known = !negated;
    let first = true;
    while (first || this.src[this.#pos] !== "]") {
      if (this.#pos >= this.src.length) throw new Unsupported("unclosed class");
      if (this.src.startsWith("[:", this.#pos)) throw new Unsupported("POSIX class");
      const item = this.classItem();
      first = false;
      if (this.src[this.#pos] === "-" && this.src[this.#pos + 1] !== "]") {
        this.#pos++;
        this.classItem();
        known = false; // a range
      } else if (item === undefined) {
        known = false;
      } else {
        const folded = this.foldLiteral(item);
        if (folded === undefined) known = false;
        else chars.add(folded);
      }
    }
    this.#pos++;
    return known && chars.size <= CLASS_LIMIT ? { exact: chars, required: [] } : UNKNOWN;
  }

  /** One class member: its character, or undefined for a shorthand class such as \d. */
  private classItem(): string | undefined {
    if (this.src[this.#pos] !== "\\") return this.readCodePoint();
    const next = this.src[this.#pos + 1];
    if (next !== undefined && "dDwWsS".includes(next)) {
      this.#pos += 2;
      return undefined;
    }
    return this.escapedPunctuation();
  }

  private escape(): Info {
    const next = this.src[this.#pos + 1];
    if (next !== undefined && "dDwWsS".includes(next)) {
      this.#pos += 2;
      return UNKNOWN;
    }
    if (next !== undefined && "bBAz".includes(next)) {
      this.#pos += 2;
      return EMPTY;
    }
    return this.literal(this.escapedPunctuation());
  }

  /** `\` before printable ASCII other than a letter or digit stands for that character, as in RE2. */
  private escapedPunctuation(): string {
    const next = this.src[this.#pos + 1];
    if (next === undefined || !/^[ -/:-@[-`{-~]$/.test(next)) throw new Unsupported(`escape \\${next ?? ""}`);
    this.#pos += 2;
    return next;
  }

  private sticky(re: RegExp): RegExpExecArray | null {
    re.lastIndex = this.#pos;
    return re.exec(this.src);
  }

  private readCodePoint(): string {
    const c = String.fromCodePoint(this.src.codePointAt(this.#pos) as number);
    this.#pos += c.length;
    return c;
  }

  private literal(c: string): Info {
    const folded = this.foldLiteral(c);
    return folded === undefined ? UNKNOWN : { exact: new Set([folded]), required: [] };
  }

  /** The character as it appears in the text searched, or undefined when folding makes that uncertain. */
  private foldLiteral(c: string): string | undefined {
    if (!this.folded) return c;
    return c.charCodeAt(0) < 0x80 ? c.toLowerCase() : undefined;
  }
}

/** A set that can serve as a prefilter: not empty, not too big, and without the empty string. */
function usable(set: Set<string>): boolean {
  return set.size > 0 && set.size <= REQUIRED_LIMIT && !set.has("");
}

function requiredOf(info: Info): Set<string>[] {
  return info.exact !== undefined && usable(info.exact) ? [info.exact, ...info.required] : info.required;
}

function concatenate(items: Info[]): Info {
  if (items.length === 1) return items[0];
  const required: Set<string>[] = [];
  // Consecutive exact pieces match one contiguous string from their cross product.
  let run = new Set([""]);
  let allExact = true;
  const endRun = () => {
    if (usable(run)) required.push(run);
    run = new Set([""]);
  };
  for (const item of items) {
    if (item.exact !== undefined && run.size * item.exact.size <= EXACT_LIMIT) {
      run = cross(run, item.exact);
    } else if (item.exact !== undefined) {
      allExact = false;
      endRun();
      run = item.exact;
    } else {
      allExact = false;
      endRun();
    }
    required.push(...item.required);
  }
  if (allExact) return { exact: run, required };
  endRun();
  return { required };
}

function cross(left: Set<string>, right: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const a of left) for (const b of right) out.add(a + b);
  return out;
}

/** The most selective set on its own. */
function best(sets: Set<string>[]): Set<string> | undefined {
  let chosen: Set<string> | undefined;
  for (const set of sets) if (chosen === undefined || selectivity(set) > selectivity(chosen)) chosen = set;
  return chosen;
}

function alternate(branches: Info[]): Info {
  if (branches.every((b) => b.exact !== undefined)) {
    const union = new Set(branches.flatMap((b) => [...(b.exact as Set<string>)]));
    if (union.size <= EXACT_LIMIT) return { exact: union, required: [] };
  }
  // A match matches one branch, so it holds one string of the union of one set per branch.
  const union = new Set<string>();
  for (const branch of branches) {
    const set = best(requiredOf(branch));
    if (set === undefined) return UNKNOWN;
    for (const s of set) union.add(s);
  }
  return usable(union) ? { required: [union] } : UNKNOWN;
}

function repeat(info: Info, min: number, max: number): Info {
  if (min === 1 && max === 1) return info;
  if (min === 0) {
    // Optional once: its strings or nothing. Otherwise nothing is known.
    return max === 1 && info.exact !== undefined ? { exact: new Set(["", ...info.exact]), required: [] } : UNKNOWN;
  }
  return { required: requiredOf(info) };
}

/** Drops literals that contain another one of the set: whatever contains the longer contains the shorter. */
function minimal(literals: Set<string>): string[] {
  const all = [...literals];
  return all.filter((s, i) => !all.some((t, j) => j !== i && s.includes(t)));
}
