/**
 * `komek ask`: the full decision pipeline from the command line, one question per argument or per
 * line of standard input. Each plain question is a fresh conversation held in memory, so asking
 * never writes to the database and two fallbacks in a row do not turn into an escalation. With
 * `--json`, a line may also be `{"chat": "...", "text": "..."}`: lines of one chat are one
 * conversation, in order, so follow-up questions continue its topic.
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createMemoryConversationStore } from '../../memory/conversation-store.ts';
import { createPipeline, type PipelineResult } from '../../core/pipeline.ts';
import { systemClock } from '../../core/ports.ts';
import type { Command } from '../command.ts';
import type { AppServices } from '../services.ts';

const USAGE = `Usage:
  komek ask [--json] "question"
  komek ask [--json] < questions.txt      (one question per line)

--json prints one JSON object per question:
  {"text","lang","action":"answer"|"clarify"|"fallback"|"escalate","faq_id","score","reply","alternatives"}
With --json a line of standard input may also be {"chat": "...", "text": "..."}: lines with the
same chat are one conversation, in order (follow-up questions continue its topic); plain lines
stay independent questions.`;

export const askCommand: Command = {
  name: 'ask',
  summary: 'ask a question and print the reply (or read questions from standard input)',
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseArgs({ args: ctx.argv, allowPositionals: true, options: { json: { type: 'boolean' } } });
    const services = await ctx.services();
    await services.inference.ensureCurrent();
    const ask = createAsker(services);
    const emit = async (line: string) => {
      const chatLine = values.json ? parseChatLine(line) : undefined;
      const answer = chatLine ? await ask(chatLine.text, chatLine.chat) : await ask(line);
      ctx.stdout.write(values.json ? `${JSON.stringify(answer)}\n` : `${answer.reply}\n\n`);
    };
    if (positionals.length > 0) {
      await emit(positionals.join(' '));
      return 0;
    }
    const lines = createInterface({ input: ctx.stdin, crlfDelay: Infinity });
    for await (const line of lines) if (line.trim()) await emit(line);
    return 0;
  },
};

export interface AskResult {
  text: string;
  lang: string;
  action: 'answer' | 'clarify' | 'fallback' | 'escalate';
  faq_id: string | null;
  score: number | null;
  reply: string;
  alternatives: string[];
}

/** Builds a function that runs one question through the pipeline with throw-away state. */
export function createAsker(services: Pick<AppServices, 'kb' | 'inference' | 'logger' | 'config'>) {
  const pipeline = createPipeline({
    kb: services.kb,
    retriever: services.inference.retriever,
    detector: services.inference.detector,
    conversations: createMemoryConversationStore(),
    clock: systemClock,
    logger: services.logger,
    options: {
      thresholds: services.inference.thresholds,
      maxMessageChars: services.config.maxMessageChars,
      escalation: services.config.escalation,
      officeHours: services.config.officeHours,
    },
  });
  /** `chat` names a conversation to continue; without it every question stands alone. */
  return async function ask(text: string, chat?: string): Promise<AskResult> {
    const id = randomUUID();
    const result = await pipeline.handle({
      channel: 'web',
      chatId: chat === undefined ? `cli-${id}` : `cli-chat-${chat}`,
      userId: 'cli',
      messageId: id,
      text,
      kind: 'text',
      receivedAt: new Date().toISOString(),
      traceId: id,
    });
    return toAskResult(text, result);
  };
}

/**
 * A `{"chat", "text"}` line, or undefined for a plain question (a line that merely looks like
 * JSON but is not such an object is asked as it is).
 */
function parseChatLine(line: string): { chat: string; text: string } | undefined {
  if (!line.trimStart().startsWith('{')) return undefined;
  try {
    const v = JSON.parse(line) as { chat?: unknown; text?: unknown };
    if (typeof v.text !== 'string' || v.text.trim() === '') return undefined;
    if (typeof v.chat !== 'string' && typeof v.chat !== 'number') return undefined;
    return { chat: String(v.chat), text: v.text };
  } catch {
    return undefined;
  }
}

function toAskResult(text: string, r: PipelineResult): AskResult {
  const action = r.action === 'answer' || r.action === 'clarify' || r.action === 'escalate' ? r.action : 'fallback';
  const reply = r.replies
    .map((m) => [m.text, ...(m.buttons ?? []).filter((b) => b.action.type === 'choose').map((b, i) => `  ${i + 1}. ${b.label}`)].join('\n'))
    .join('\n');
  return {
    text,
    lang: r.lang,
    action,
    faq_id: action === 'answer' ? (r.faqId ?? null) : null,
    score: r.score ?? null,
    reply,
    alternatives: r.alternatives ?? [],
  };
}
