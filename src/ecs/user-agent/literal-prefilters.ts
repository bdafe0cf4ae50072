/**
 * The required literals of every pattern (see required-literals.ts): a pattern is worth running on a user agent only
 * when each of its literal sets has one that occurs in it (in its case-folded form for folded sets).
 *
 * Two ways to look, with the same answers: `includes` per literal, which needs no preparation, and, once a process
 * has seen enough distinct user agents to repay building them, two Aho–Corasick automata that find every literal in
 * one pass over the user agent and one over its folded form.
 */
import { LiteralScanner } from "./literal-scanner.ts";
import { foldCase, type RequiredLiterals } from "./required-literals.ts";

/** Whether the pattern with this id may match the scanned text; false means it certainly does not. */
export type MayMatch = (patternId: number) => boolean;

/** Distinct user agents checked with `includes` before the automata are built (≈ 50–100 ms on first use). */
export const AUTOMATON_AFTER = 200;

interface Automata {
  /** Per pattern id: its literal sets as indexes into the presence array; undefined: always run the pattern. */
  required: (number[][] | undefined)[];
  plain: LiteralScanner;
  folded: LiteralScanner;
  plainCount: number;
  total: number;
}

export class LiteralPrefilters {
  readonly #requirements: readonly (RequiredLiterals | undefined)[];
  readonly #automatonAfter: number;
  #scans = 0;
  #automata: Automata | undefined;

  /** requirements[id] for each pattern id, undefined where a pattern has no prefilter. */
  constructor(requirements: readonly (RequiredLiterals | undefined)[], automatonAfter = AUTOMATON_AFTER) {
    this.#requirements = requirements;
    this.#automatonAfter = automatonAfter;
  }

  scan(text: string): MayMatch {
    this.#scans++;
    return this.#scans <= this.#automatonAfter ? this.#byIncludes(text) : this.#byAutomata(text);
  }

  #byIncludes(text: string): MayMatch {
    let folded: string | undefined;
    return (patternId) => {
      const required = this.#requirements[patternId];
      if (required === undefined) return true;
      const haystack = required.folded ? (folded ??= foldCase(text)) : text;
      return required.allOf.every((set) => set.some((literal) => haystack.includes(literal)));
    };
  }

  #byAutomata(text: string): MayMatch {
    const automata = (this.#automata ??= buildAutomata(this.#requirements));
    const present = new Uint8Array(automata.total);
    automata.plain.mark(text, present, 0);
    automata.folded.mark(foldCase(text), present, automata.plainCount);
    return (patternId) => {
      const sets = automata.required[patternId];
      if (sets === undefined) return true;
      for (const set of sets) if (!set.some((index) => present[index] === 1)) return false;
      return true;
    };
  }
}

function buildAutomata(requirements: readonly (RequiredLiterals | undefined)[]): Automata {
  const plain = new Map<string, number>();
  const folded = new Map<string, number>();
  const local = requirements.map((required) => {
    if (required === undefined) return undefined;
    const indexes = required.folded ? folded : plain;
    return required.allOf.map((set) =>
      set.map((literal) => {
        let index = indexes.get(literal);
        if (index === undefined) indexes.set(literal, (index = indexes.size));
        return index;
      }),
    );
  });
  // One presence array: plain literals first, then folded ones.
  const required = local.map((sets, id) =>
    sets === undefined || !requirements[id]?.folded ? sets : sets.map((set) => set.map((i) => i + plain.size)),
  );
  return {
    required,
    plain: new LiteralScanner([...plain.keys()]),
    folded: new LiteralScanner([...folded.keys()]),
    plainCount: plain.size,
    total: plain.size + folded.size,
  };
}
