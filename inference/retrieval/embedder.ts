/**
 * The seam between encoders and retrieval: Kömek's trained encoder and a deployer's pretrained
 * one both become a `TextEmbedder`.
 */
import type { Lang } from '../../core/lang.ts';
import type { Encoder, StoredVector } from '../../core/ports.ts';
import type { OnnxEncoder } from '../encoder/onnx-encoder.ts';
import type { EntryText } from './kb-texts.ts';

/**
 * What retrieval needs from an encoder: queries and passages may be embedded differently (e5's
 * prefixes); Kömek's own encoder embeds both alike and uses the language for stemming.
 */
export interface TextEmbedder {
  readonly dim: number;
  embedQueries(texts: string[], langs: (Lang | undefined)[]): Promise<Float32Array[]>;
  embedPassages(texts: string[], langs: (Lang | undefined)[]): Promise<Float32Array[]>;
}

/** The trained encoder as an embedder. */
export function trainedEmbedder(encoder: OnnxEncoder): TextEmbedder {
  return {
    dim: encoder.dim,
    embedQueries: (texts, langs) => encoder.encodeWithLang(texts, langs),
    embedPassages: (texts, langs) => encoder.encodeWithLang(texts, langs),
  };
}

/** Any core `Encoder` (e.g. a pretrained one) as an embedder. */
export function encoderEmbedder(encoder: Encoder): TextEmbedder {
  return {
    dim: encoder.dim,
    embedQueries: (texts) => encoder.encode(texts, 'query'),
    embedPassages: (texts) => encoder.encode(texts, 'passage'),
  };
}

/** Encodes entry texts in chunks through an embedder. */
export async function encodeTexts(encoder: TextEmbedder, texts: readonly EntryText[]): Promise<StoredVector[]> {
  const out: StoredVector[] = [];
  for (let i = 0; i < texts.length; i += 256) {
    const chunk = texts.slice(i, i + 256);
    const vectors = await encoder.embedPassages(chunk.map((t) => t.text), chunk.map((t) => t.lang));
    chunk.forEach((t, j) => out.push({ faqId: t.faqId, lang: t.lang, field: t.field, vector: vectors[j]! }));
  }
  return out;
}

