/**
 * What the process tells about its model: whether it has finished loading, and how well it knows
 * the knowledge base (the self-check), for `/ready` and for the console's administrators.
 */
import type { AppServices } from './services.ts';

/** What `/ready` says of the model: which one answers, and how well it knows the knowledge base. */
export function modelStatus(inference: AppServices['inference']): Record<string, unknown> {
  const current = inference.current();
  if (!current) return { status: 'loading' };
  const check = current.selfCheck;
  return {
    id: current.modelId ?? null,
    kbVersion: current.kbVersion,
    status: check?.status ?? 'unknown',
    selfCheck: check ? { message: check.message, heldOutTop1: check.hybrid.top1, answeredRight: check.hybrid.answeredRight, answeredWrong: check.hybrid.answeredWrong } : null,
  };
}

/** What the console shows administrators of the model in use; undefined before the first load. */
export function consoleModelStatus(inference: AppServices['inference']): Record<string, unknown> | undefined {
  const current = inference.current();
  return current ? { id: current.modelId ?? null, kbVersion: current.kbVersion, selfCheck: current.selfCheck ?? null } : undefined;
}
