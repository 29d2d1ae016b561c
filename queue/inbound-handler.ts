/**
 * The worker's job for one inbound message: run the pipeline, enqueue its replies. This is the
 * error boundary of a job: infrastructure failures are rethrown for the queue to retry; when a
 * message finally cannot be processed, the citizen gets the polite error text in their language
 * instead of silence, and the job is kept as failed.
 */
import type { InboundMessage, OutboundMessage } from '../core/envelopes.ts';
import { PermanentError } from '../core/errors.ts';
import type { Lang } from '../core/lang.ts';
import type { PipelineResult } from '../core/pipeline.ts';
import type { ConversationStore, JobInfo, Logger, MessageQueue } from '../core/ports.ts';
import { t } from '../core/texts.ts';
import { chatKey, outboundJobId } from './job-ids.ts';
import { isRetryable } from './retry-policy.ts';

export interface InboundHandlerDeps {
  pipeline: { handle(msg: InboundMessage): Promise<PipelineResult> };
  outbound: Pick<MessageQueue<OutboundMessage>, 'add'>;
  conversations: Pick<ConversationStore, 'open' | 'messages'>;
  logger: Logger;
}

/** Returns the handler the inbound queue runs for each job. */
export function createInboundHandler(deps: InboundHandlerDeps) {
  return async function handleInbound(msg: InboundMessage, info: JobInfo): Promise<void> {
    const log = deps.logger.child({ traceId: msg.traceId, channel: msg.channel, jobId: info.id });
    let result: PipelineResult;
    try {
      result = await deps.pipeline.handle(msg);
    } catch (err) {
      const failure = classify(err);
      if (info.final || !isRetryable(failure)) {
        log.error({ err: describe(err), attempt: info.attempt }, 'message could not be processed; citizen told');
        await sendError(msg).catch((e) => log.error({ err: describe(e) }, 'could not enqueue the error reply'));
      }
      throw failure;
    }
    if (result.action === 'duplicate' && info.redelivered) {
      await recover(msg, info, log);
      return;
    }
    await enqueue(result.replies);
  };

  async function enqueue(replies: OutboundMessage[]): Promise<void> {
    for (const [i, reply] of replies.entries()) {
      await deps.outbound.add(reply, { id: outboundJobId(reply, i), key: chatKey(reply.channel, reply.chatId) });
    }
  }

  /**
   * An earlier try of this very job got past the pipeline's dedupe and then died (worker killed,
   * connection lost). If it stored its replies, send those (the outbound ids make a second send
   * a no-op); if not, the message was never answered, so it is processed again under a derived
   * id that the dedupe has not seen.
   */
  async function recover(msg: InboundMessage, info: JobInfo, log: Logger): Promise<void> {
    const conv = await deps.conversations.open(msg.channel, msg.chatId, msg.userId);
    const recent = await deps.conversations.messages(conv.id, { limit: 50 });
    const stored = recent.filter((m) => m.author === 'bot' && m.traceId === msg.traceId);
    if (stored.length > 0) {
      log.warn({ replies: stored.length }, 'resending replies stored by an interrupted try');
      await enqueue(
        stored.map((m) => ({
          channel: msg.channel,
          chatId: msg.chatId,
          text: m.text,
          inReplyTo: msg.messageId,
          lang: m.lang ?? undefined,
          traceId: msg.traceId,
        })),
      );
      return;
    }
    log.warn({ attempt: info.attempt }, 'an interrupted try left the message unanswered; processing it again');
    const result = await deps.pipeline.handle({ ...msg, messageId: `${msg.messageId}~retry${info.attempt}` });
    await enqueue(result.replies.map((r) => ({ ...r, inReplyTo: msg.messageId })));
  }

  async function sendError(msg: InboundMessage): Promise<void> {
    const lang = msg.langHint ?? guessLang(msg.text);
    const reply: OutboundMessage = {
      channel: msg.channel,
      chatId: msg.chatId,
      text: t('error', lang),
      inReplyTo: msg.messageId,
      lang,
      traceId: msg.traceId,
    };
    await deps.outbound.add(reply, { id: outboundJobId(reply, 99), key: chatKey(msg.channel, msg.chatId) });
  }
}

/** Programming errors do not heal on retry; treat them like bad input. */
function classify(err: unknown): unknown {
  if (err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError) {
    return new PermanentError(err.message, { cause: err });
  }
  return err;
}

/**
 * The error text must not depend on the services that just failed (the conversation's stored
 * language, the detector), so the language is guessed from the letters alone.
 */
export function guessLang(text: string): Lang {
  if (/[әғқңөұүһі]/i.test(text)) return 'kk';
  if (/[а-яё]/i.test(text)) return 'ru';
  if (/[a-z]/i.test(text)) return 'en';
  return 'kk';
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
