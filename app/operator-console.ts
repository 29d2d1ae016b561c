/**
 * The operator console wired to the application services. The composition root builds the
 * console's repositories over the one database and hands them in; the console's replies to
 * citizens travel the runtime's outbound queue, the same way as the bot's.
 */
import { randomUUID } from 'node:crypto';
import { createConsoleMount, type ConsoleMount, type ConsoleStores } from '../console/index.ts';
import type { OutboundMessage } from '../core/envelopes.ts';
import { systemClock, type KnowledgeBase, type MessageQueue, type OutboundSink } from '../core/ports.ts';
import type { Db } from '../db/client.ts';
import { createAnalytics } from '../db/analytics.ts';
import { createUnansweredReport } from '../db/analytics-unanswered.ts';
import { createLoginFailures } from '../db/login-failures.ts';
import { createOperatorAccounts } from '../db/operator-accounts.ts';
import { createOperatorAudit } from '../db/operator-audit.ts';
import { createOperatorCanned } from '../db/operator-canned.ts';
import { createOperatorConversations } from '../db/operator-conversations.ts';
import { createOperatorKb } from '../db/operator-kb.ts';
import { createOperatorQueue } from '../db/operator-queue.ts';
import { chatKey } from '../queue/job-ids.ts';
import { consoleModelStatus } from './model-status.ts';
import type { AppServices } from './services.ts';

/** The console's repositories over `db`; `kb` is the knowledge base they join against. */
export function createConsoleStores(db: Db, kb: KnowledgeBase): ConsoleStores {
  return {
    accounts: createOperatorAccounts(db),
    audit: createOperatorAudit(db),
    queue: createOperatorQueue(db),
    canned: createOperatorCanned(db),
    conversations: createOperatorConversations(db),
    loginFailures: createLoginFailures(db),
    analytics: createAnalytics(db),
    unanswered: createUnansweredReport(db, kb),
    kbAdmin: createOperatorKb(db, kb),
  };
}

/**
 * The console: built before the runtime (its routes go into the HTTP server the runtime starts),
 * then `bind` connects its replies to the runtime's outbound queue.
 */
export async function createOperatorConsole(
  services: AppServices,
): Promise<{ console: ConsoleMount; bind(queue: MessageQueue<OutboundMessage>): void }> {
  const outbound = lateOutboundSink();
  const consoleMount = createConsoleMount({
    stores: createConsoleStores(services.database.db, services.kb),
    kb: services.kb,
    conversations: services.conversations,
    outbound,
    logger: services.logger,
    config: services.config,
    clock: systemClock,
    // A pretrained encoder is not retrained: its retriever embeds the changed entries itself.
    onKbChanged: () => (services.inference.trainable ? services.inference.train() : services.inference.ensureCurrent()),
    modelStatus: () => consoleModelStatus(services.inference),
    options: { timezone: services.config.officeHours.timezone },
  });
  await consoleMount.init();
  services.events.subscribe(consoleMount.events);
  return { console: consoleMount, bind: (queue) => outbound.bind(queue) };
}

/**
 * The console is built before the queues exist (its routes go into the HTTP server the runtime
 * starts), so its outbound sink is bound to the queue once the runtime is up.
 */
function lateOutboundSink(): OutboundSink & { bind(queue: MessageQueue<OutboundMessage>): void } {
  let queue: MessageQueue<OutboundMessage> | undefined;
  return {
    bind: (q) => void (queue = q),
    async send(message) {
      if (!queue) throw new Error('the outbound queue is not running yet');
      await queue.add(message, { id: `op:${randomUUID()}`, key: chatKey(message.channel, message.chatId) });
    },
  };
}
