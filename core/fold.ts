/**
 * The folding core's text recognisers (person requests, greetings) match on: compatibility
 * forms unified, lower case, ё→е, everything but letters and digits (and `keep`) to single spaces.
 */
export function foldText(text: string, keep = ''): string {
  const other = new RegExp(`[^\\p{L}\\p{N}${keep.replace(/[\\\]^-]/g, '\\$&')}]+`, 'gu');
  return text.normalize('NFKC').toLowerCase().replace(/ё/g, 'е').replace(other, ' ').trim();
}
