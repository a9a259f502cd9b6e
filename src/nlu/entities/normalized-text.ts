/**
 * NFKC + lower case, one code point at a time, remembering where every normalised UTF-16 unit came
 * from. Extractors then match simple half-width, lower-case patterns, while entities still report
 * offsets into the customer's original text (full-width digits, "ＫＤ", "ＬＯＳ" and the like).
 */
export class NormalizedText {
  readonly text: string;
  private readonly fromStart: number[];
  private readonly fromEnd: number[];

  constructor(readonly original: string) {
    let text = '';
    const fromStart: number[] = [];
    const fromEnd: number[] = [];
    let i = 0;
    for (const ch of original) {
      const end = i + ch.length;
      // A single code point can grow (e.g. "㎆" → "mb"); every piece points back to it.
      const mapped = ch.normalize('NFKC').toLowerCase();
      for (let k = 0; k < mapped.length; k++) {
        fromStart.push(i);
        fromEnd.push(end);
      }
      text += mapped;
      i = end;
    }
    this.text = text;
    this.fromStart = fromStart;
    this.fromEnd = fromEnd;
  }

  /** Original [start, end) for the normalised [start, end); end is exclusive and > start. */
  toOriginal(start: number, end: number): { start: number; end: number } {
    return { start: this.fromStart[start] ?? this.original.length, end: this.fromEnd[end - 1] ?? this.original.length };
  }
}
