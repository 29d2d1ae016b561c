/**
 * Small readers for the JSON files of a model folder. tokenizer.json is written by another
 * program; reading it field by field, with the field named in the error, makes a broken or
 * unexpected file easy to diagnose.
 */

export type Json = Record<string, unknown>;

/** Thrown while reading tokenizer.json; the loader adds the file path. */
export class TokenizerFormatError extends Error {
  override readonly name = 'TokenizerFormatError';
  constructor(
    message: string,
    /** True when the file is well formed but uses something Kömek does not implement. */
    readonly unsupported = false,
  ) {
    super(message);
  }
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectField(obj: Json, key: string, where: string): Json {
  const v = obj[key];
  if (!isObject(v)) throw new TokenizerFormatError(`${where}.${key} must be an object`);
  return v;
}

export function stringField(obj: Json, key: string, where: string, fallback?: string): string {
  const v = obj[key];
  if (typeof v === 'string') return v;
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  throw new TokenizerFormatError(`${where}.${key} must be a string`);
}

export function boolField(obj: Json, key: string, fallback: boolean): boolean {
  const v = obj[key];
  return typeof v === 'boolean' ? v : fallback;
}

export function numberField(obj: Json, key: string, where: string, fallback?: number): number {
  const v = obj[key];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  throw new TokenizerFormatError(`${where}.${key} must be a number`);
}

export function arrayField(obj: Json, key: string, where: string): unknown[] {
  const v = obj[key];
  if (!Array.isArray(v)) throw new TokenizerFormatError(`${where}.${key} must be an array`);
  return v;
}

/** The component's `type` tag, e.g. `"Metaspace"`. */
export function typeOf(obj: Json, where: string): string {
  return stringField(obj, 'type', where);
}

export function unsupported(what: string): TokenizerFormatError {
  return new TokenizerFormatError(`${what} is not supported`, true);
}

/**
 * Compiles a regular expression of tokenizer.json (Oniguruma syntax in the library) as a
 * Unicode JavaScript one. The patterns models ship are within the common subset; one that is
 * not fails here, at load, rather than tokenizing differently.
 */
export function compileRegex(source: string, where: string): RegExp {
  try {
    return new RegExp(source, 'gu');
  } catch (err) {
    throw new TokenizerFormatError(
      `${where}: regular expression ${JSON.stringify(source)} is not supported (${(err as Error).message})`,
      true,
    );
  }
}

/** Escapes a literal for use inside a RegExp. */
export function escapeRegex(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
