/**
 * Prometheus metrics (prom-client) on a registry of this process's own — never the library's
 * global one, so tests and several app instances in one process do not collide.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Pipeline } from '../core/pipeline.ts';
import type { Retriever } from '../core/ports.ts';
import type { Mount } from './http.ts';

export function createMetrics(opts: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'komek_' });
  const messages = new Counter({
    name: 'komek_messages_total',
    help: 'Citizen messages handled, by channel and the action taken',
    labelNames: ['channel', 'action'],
    registers: [registry],
  });
  const pipelineSeconds = new Histogram({
    name: 'komek_pipeline_seconds',
    help: 'Time to handle one citizen message in the worker pipeline',
    labelNames: ['channel'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const inferenceSeconds = new Histogram({
    name: 'komek_inference_seconds',
    help: 'Time spent in retrieval (encoder plus search) per question',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const errors = new Counter({ name: 'komek_errors_total', help: 'Errors by stage', labelNames: ['stage'], registers: [registry] });
  const queueDepth = new Gauge({ name: 'komek_queue_depth', help: 'Jobs waiting in a queue', labelNames: ['queue'], registers: [registry] });
  const outbound = new Counter({ name: 'komek_outbound_total', help: 'Replies delivered, by channel and outcome', labelNames: ['channel', 'outcome'], registers: [registry] });

  return {
    registry,
    messages,
    pipelineSeconds,
    inferenceSeconds,
    errors,
    queueDepth,
    outbound,

    /** Times every `handle` and counts it by action; failures are counted and rethrown. */
    instrumentPipeline(pipeline: Pipeline): Pipeline {
      return {
        async handle(msg) {
          const end = pipelineSeconds.startTimer({ channel: msg.channel });
          try {
            const result = await pipeline.handle(msg);
            messages.inc({ channel: msg.channel, action: result.action });
            return result;
          } catch (err) {
            errors.inc({ stage: 'pipeline' });
            throw err;
          } finally {
            end();
          }
        },
      };
    },

    instrumentRetriever(retriever: Retriever): Retriever {
      return {
        async retrieve(text, o) {
          const end = inferenceSeconds.startTimer();
          try {
            return await retriever.retrieve(text, o);
          } catch (err) {
            errors.inc({ stage: 'retrieval' });
            throw err;
          } finally {
            end();
          }
        },
      };
    },

    /** `GET /metrics` in the Prometheus text format. */
    mount(): Mount {
      return (app) => {
        app.get('/metrics', async (c) => c.text(await registry.metrics(), 200, { 'content-type': registry.contentType }));
      };
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
