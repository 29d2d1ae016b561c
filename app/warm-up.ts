/**
 * The model's warm-up when a process starts serving: the model loads (or, the first time, trains)
 * behind an HTTP server that is already open, and the terminal is told what takes the time.
 */
import { MODEL_KIND } from '../inference/index.ts';
import type { AppServices } from './services.ts';

/**
 * Loads (or, with no stored model yet, trains) the model in the background, telling the person at
 * the terminal what is happening when it takes a while. Only a data folder without a model trains
 * before answering; later starts load the stored model, so "first start" is said only when true.
 */
export function warmUp(services: AppServices, out: NodeJS.WritableStream): void {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const firstTraining = services.config.embeddingModelDir
    ? Promise.resolve(false)
    : services.models.newest(MODEL_KIND).then((m) => !m, () => false);
  void firstTraining.then((first) => {
    const note = first
      ? 'Training the language model for this knowledge base (first start only; about half a minute)…\n'
      : 'Loading the language model…\n';
    timer = setTimeout(() => out.write(note), 2000);
  });
  services.inference
    .ensureCurrent()
    .then(async () => {
      await firstTraining;
      clearTimeout(timer);
      const seconds = (Date.now() - started) / 1000;
      if (seconds > 2) out.write(`Model ready in ${seconds.toFixed(0)} s.\n`);
    })
    .catch(async (err: unknown) => {
      await firstTraining;
      clearTimeout(timer);
      services.logger.error({ err: (err as Error).message }, 'model warm-up failed; questions will retry it');
    });
}
