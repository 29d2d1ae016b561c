/** The shape of the small JSON files of a model folder (config.json, tokenizer_config.json, …). */

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
