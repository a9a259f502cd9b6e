/**
 * Puts customer text into one canonical form before tokenising: full-width letters, digits and
 * punctuation become half-width (NFKC), Latin letters lower case, control and zero-width characters
 * and runs of white space one space, and the trade's common typos and homophones (corpus/typos.json)
 * their intended word. Features are computed from this form only, so training and parsing agree.
 */
export class TextNormalizer {
  private readonly typoPattern: RegExp | undefined;

  constructor(private readonly typos: Readonly<Record<string, string>> = {}) {
    // Longest first, so "传人工" is replaced before a shorter key could match inside it.
    const keys = Object.keys(typos).sort((a, b) => b.length - a.length);
    this.typoPattern = keys.length > 0 ? new RegExp(keys.map(escapeRegExp).join('|'), 'g') : undefined;
  }

  normalize(text: string): string {
    let out = text
      .normalize('NFKC')
      .toLowerCase()
      // Control and format characters (zero-width joiners, BOM, bidi marks) carry no meaning here but
      // would glue words together or split them.
      .replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (this.typoPattern) out = out.replace(this.typoPattern, (m) => this.typos[m] ?? m);
    return out;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
