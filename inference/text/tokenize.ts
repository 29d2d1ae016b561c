/**
 * Splits normalised text into words and numbers. Letters and digits glued together ("2024жыл",
 * "covid19") become separate tokens, so a number and a word are matched on their own.
 */

const TOKEN = /[\p{L}\p{M}]+|\p{N}+/gu;

/** Words (letters of any script, with their combining marks) and numbers, in order. */
export function tokenize(normalized: string): string[] {
  return normalized.match(TOKEN) ?? [];
}
