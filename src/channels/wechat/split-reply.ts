/**
 * WeChat text messages hold at most 2048 bytes of UTF-8. A longer reply is cut into parts that end on a
 * line break where possible, else after a sentence, else between characters (never inside one, emoji
 * included). The parts, joined, are exactly the original text.
 */
export const MAX_MESSAGE_BYTES = 2048;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/** Pieces ending after each match of `boundary`; the last piece holds the rest. */
function piecesAfter(text: string, boundary: RegExp): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (const m of text.matchAll(boundary)) {
    const end = (m.index ?? 0) + m[0].length;
    pieces.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) pieces.push(text.slice(start));
  return pieces;
}

/** Pieces no bigger than `max`, the coarsest cut that allows it. */
function pieces(text: string, max: number): string[] {
  if (bytes(text) <= max) return [text];
  return piecesAfter(text, /\n+/g).flatMap((line) =>
    bytes(line) <= max
      ? [line]
      : piecesAfter(line, /[。！？；!?;…]+[”’」』）)]*|[.,，、]\s*/g).flatMap((sentence) =>
          bytes(sentence) <= max ? [sentence] : Array.from(graphemes.segment(sentence), (g) => g.segment),
        ),
  );
}

export function splitReply(text: string, max = MAX_MESSAGE_BYTES): string[] {
  const parts: string[] = [];
  let current = '';
  for (const piece of pieces(text, max)) {
    if (current && bytes(current) + bytes(piece) > max) {
      parts.push(current);
      current = '';
    }
    current += piece;
  }
  if (current || parts.length === 0) parts.push(current);
  return parts;
}
