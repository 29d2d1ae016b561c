/** The languages Kömek speaks. Kazakh first: it is the state language and the default. */
export const LANGS = ['kk', 'ru', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export function isLang(value: unknown): value is Lang {
  return value === 'kk' || value === 'ru' || value === 'en';
}

/** A detected language with how sure the detector is (0..1). */
export interface DetectedLang {
  lang: Lang;
  confidence: number;
}
