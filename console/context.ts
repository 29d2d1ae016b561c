/**
 * What every console route handler gets: the repositories, the operator use cases and the
 * helpers to answer errors the same way everywhere.
 */
import type { Context, Handler } from 'hono';
import type { OperatorActions, OperatorActor } from '../core/operator-actions.ts';
import { OperatorActionError } from '../core/operator-errors.ts';
import type { AuditTrail, Clock, KnowledgeBase, Logger, OperatorConversations } from '../core/ports.ts';
import type { createAnalytics } from '../db/analytics.ts';
import type { createUnansweredReport } from '../db/analytics-unanswered.ts';
import type { LoginFailures } from '../db/login-failures.ts';
import type { OperatorAccounts } from '../db/operator-accounts.ts';
import type { createOperatorAudit } from '../db/operator-audit.ts';
import type { OperatorCanned } from '../db/operator-canned.ts';
import type { OperatorKb } from '../db/operator-kb.ts';
import type { OperatorQueue } from '../db/operator-queue.ts';
import type { LiveFeed } from './live-feed.ts';
import type { ConsoleEnv } from './session-guard.ts';

/** The audit trail the console writes and shows to admins. */
export type ConsoleAudit = AuditTrail & Pick<ReturnType<typeof createOperatorAudit>, 'list'>;

/**
 * The repositories the console reads and writes, built by the composition root
 * (`app/operator-console.ts`) so that the console never holds a raw database handle.
 */
export interface ConsoleStores {
  accounts: OperatorAccounts;
  audit: ConsoleAudit;
  queue: OperatorQueue;
  canned: OperatorCanned;
  conversations: OperatorConversations;
  loginFailures: LoginFailures;
  analytics: ReturnType<typeof createAnalytics>;
  unanswered: ReturnType<typeof createUnansweredReport>;
  /** The knowledge base as admins edit it (list, history, save). */
  kbAdmin: OperatorKb;
}

/** The stores every route handler reads (the others stay with the login and the live feed). */
export interface ConsoleContext extends Pick<ConsoleStores, 'accounts' | 'audit' | 'canned' | 'queue' | 'analytics' | 'unanswered' | 'kbAdmin'> {
  kb: KnowledgeBase;
  actions: OperatorActions;
  live: LiveFeed;
  clock: Clock;
  logger: Logger;
  /** Called after a knowledge-base change so the model is retrained (in the background). */
  onKbChanged?: () => Promise<unknown>;
  /** The model in use and its self-check (how well it knows this knowledge base), for admins. */
  modelStatus?: () => Record<string, unknown> | undefined;
}

export type ConsoleHandler = Handler<ConsoleEnv>;

export interface ConsoleRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** Admins only. */
  admin?: boolean;
  handler: ConsoleHandler;
}

/** The signed-in operator as core sees them. */
export function actorOf(c: Context<ConsoleEnv>): OperatorActor {
  const { operator } = c.get('session');
  return { id: operator.id, role: operator.role, displayName: operator.displayName.trim() || operator.username };
}

const STATUS = { 'not-found': 404, conflict: 409, forbidden: 403, invalid: 400 } as const;

/** Turns a refused action into its HTTP answer; anything else goes to the app's error boundary. */
export function refused(c: Context, err: unknown): Response {
  if (err instanceof OperatorActionError) return c.json({ error: err.message, code: err.code, details: err.details }, STATUS[err.code]);
  throw err;
}

/** Parses a JSON body, answering 400 on anything malformed. */
export async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new OperatorActionError('invalid', 'the request body must be JSON');
  }
}
