/**
 * A small stand-in for Elasticsearch's standard analyzer, used only for `text` fields: lower-cased runs of letters,
 * digits and underscores, keeping inner `.` and `'` (as Unicode word segmentation does in `foo.bar` and `don't`).
 */
const TOKEN = /[\p{L}\p{N}_]+(?:['.][\p{L}\p{N}_]+)*/gu;

export function analyze(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

/** Whether `phrase` occurs as consecutive tokens of `tokens` (an empty phrase matches nothing, as in ES). */
export function containsPhrase(tokens: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 0) return false;
  for (let i = 0; i + phrase.length <= tokens.length; i++) {
    let j = 0;
    while (j < phrase.length && tokens[i + j] === phrase[j]) j++;
    if (j === phrase.length) return true;
  }
  return false;
}
