/**
 * The model meta stored beside the ONNX bytes: everything the runtime needs to turn text into
 * the graph's inputs, plus facts about the training run. Parsed with zod at load time so a
 * model written by another version fails with a clear message instead of wrong vectors.
 */
import { z } from 'zod';

/** `StoredModel.kind` of Kömek's own trained encoder. */
export const MODEL_KIND = 'komek-hashed-v1';

const featurizerSchema = z.object({
  bits: z.number().int().min(8).max(30),
  ngramMin: z.number().int().min(1),
  ngramMax: z.number().int().min(1),
  bigrams: z.boolean(),
});

export const encoderMetaSchema = z.object({
  format: z.literal(MODEL_KIND),
  featurizer: featurizerSchema,
  vocab: z.object({ buckets: z.string(), idf: z.string() }),
  rows: z.number().int().positive(),
  dim: z.number().int().positive(),
  outDim: z.number().int().positive(),
  /** The calibrated-confidence model fitted for this knowledge base (see retrieval/calibrator.ts). */
  calibration: z.record(z.string(), z.unknown()).optional(),
  training: z.record(z.string(), z.unknown()).optional(),
});

export type EncoderMeta = z.infer<typeof encoderMetaSchema>;

/** Parses stored meta; throws an Error naming what is wrong. */
export function parseEncoderMeta(meta: unknown): EncoderMeta {
  const parsed = encoderMetaSchema.safeParse(meta);
  if (!parsed.success) {
    throw new Error(`model meta is not a ${MODEL_KIND} meta: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
