/**
 * Splitting text around delimiters, with the five behaviours of the `tokenizers` library
 * (`Removed`, `Isolated`, `MergedWithPrevious`, `MergedWithNext`, `Contiguous`). Pre-tokenizers
 * are all built from this one operation, so it is kept exact: the same delimiter handling gives
 * the same words, and the same words give the same ids as the model was trained with.
 */

export type SplitBehavior = 'Removed' | 'Isolated' | 'MergedWithPrevious' | 'MergedWithNext' | 'Contiguous';

/** A piece of text on its way to the model; `atStart` is true when it begins the input text. */
export interface Piece {
  text: string;
  atStart: boolean;
}

/** Finds delimiter spans `[start, end)` (UTF-16 indices) in a text, in order, never overlapping. */
export type Matcher = (text: string) => Array<[number, number]>;

/** Every non-empty match of a global regular expression. */
export function regexMatcher(re: RegExp): Matcher {
  const global = re.global ? re : new RegExp(re.source, `${re.flags}g`);
  return function matchRegex(text) {
    const spans: Array<[number, number]> = [];
    for (const m of text.matchAll(global)) {
      if (m[0].length > 0) spans.push([m.index, m.index + m[0].length]);
    }
    return spans;
  };
}

/** Each code point for which `test` holds is a delimiter of its own. */
export function charMatcher(test: (ch: string) => boolean): Matcher {
  return function matchChars(text) {
    const spans: Array<[number, number]> = [];
    let i = 0;
    for (const ch of text) {
      if (test(ch)) spans.push([i, i + ch.length]);
      i += ch.length;
    }
    return spans;
  };
}

interface Segment {
  start: number;
  end: number;
  isMatch: boolean;
}

function segmentsOf(text: string, matcher: Matcher, invert: boolean): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const [start, end] of matcher(text)) {
    if (start > last) out.push({ start: last, end: start, isMatch: invert });
    out.push({ start, end, isMatch: !invert });
    last = end;
  }
  if (last < text.length) out.push({ start: last, end: text.length, isMatch: invert });
  return out;
}

function applyBehavior(segments: Segment[], behavior: SplitBehavior): Segment[] {
  switch (behavior) {
    case 'Removed':
      return segments.filter((s) => !s.isMatch);
    case 'Isolated':
      return segments;
    case 'Contiguous': {
      const out: Segment[] = [];
      for (const s of segments) {
        const prev = out.at(-1);
        if (prev && prev.isMatch && s.isMatch) prev.end = s.end;
        else out.push({ ...s });
      }
      return out;
    }
    case 'MergedWithPrevious': {
      // A delimiter joins the piece before it, unless that piece is itself a delimiter.
      const out: Segment[] = [];
      let previousMatch = false;
      for (const s of segments) {
        const prev = out.at(-1);
        if (s.isMatch && !previousMatch && prev) prev.end = s.end;
        else out.push({ ...s, isMatch: false });
        previousMatch = s.isMatch;
      }
      return out;
    }
    case 'MergedWithNext': {
      // Mirror image: walk from the end so a delimiter opens the piece after it (`▁word`).
      const out: Segment[] = [];
      let previousMatch = false;
      for (let i = segments.length - 1; i >= 0; i--) {
        const s = segments[i]!;
        const next = out.at(-1);
        if (s.isMatch && !previousMatch && next) next.start = s.start;
        else out.push({ ...s, isMatch: false });
        previousMatch = s.isMatch;
      }
      return out.reverse();
    }
  }
}

/** Splits one piece; empty results are dropped, as the library does. */
export function splitPiece(piece: Piece, matcher: Matcher, behavior: SplitBehavior, invert = false): Piece[] {
  const segments = applyBehavior(segmentsOf(piece.text, matcher, invert), behavior);
  const out: Piece[] = [];
  for (const s of segments) {
    if (s.end <= s.start) continue;
    out.push({ text: piece.text.slice(s.start, s.end), atStart: piece.atStart && s.start === 0 });
  }
  return out;
}

/** Reads a `behavior` field of tokenizer.json, accepting the spellings the library writes. */
export function parseBehavior(value: unknown, fallback: SplitBehavior): SplitBehavior {
  if (value === undefined || value === null) return fallback;
  const v = String(value).toLowerCase().replace(/_/g, '');
  const known: Record<string, SplitBehavior> = {
    removed: 'Removed',
    isolated: 'Isolated',
    mergedwithprevious: 'MergedWithPrevious',
    mergedwithnext: 'MergedWithNext',
    contiguous: 'Contiguous',
  };
  const found = known[v];
  if (!found) throw new Error(`unknown split behavior ${JSON.stringify(value)}`);
  return found;
}
