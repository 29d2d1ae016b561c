/**
 * The operator console: its pages under /console and its JSON API under /api. The composition
 * root mounts it on Kömek's one HTTP server and gives it the outbound sink the channels read.
 */
import { Hono } from 'hono';
import { createOperatorActions, type OperatorActions } from '../core/operator-actions.ts';
import type { Clock, ConversationEvents, ConversationStore, KnowledgeBase, Logger, OutboundSink } from '../core/ports.ts';
import type { Config } from '../app/config.ts';
import type { Mount } from '../app/http.ts';
import { adminRoutes } from './admin-routes.ts';
import { insightRoutes } from './insight-routes.ts';
import { kbRoutes } from './kb-routes.ts';
import { logoutRoute, mountLogin } from './auth-routes.ts';
import { createClientAddressResolver } from './client-address.ts';
import type { ConsoleContext, ConsoleRoute, ConsoleStores } from './context.ts';

export type { ConsoleStores } from './context.ts';
import { createLiveFeed } from './live-feed.ts';
import { createLoginThrottle, type LoginThrottleOptions } from './login-throttle.ts';
import { operatorRoutes } from './operator-routes.ts';
import { mountPages } from './pages.ts';
import { mountSetup } from './setup-routes.ts';
import { createSessionGuard, type ConsoleEnv } from './session-guard.ts';


export interface ConsoleDeps {
  stores: ConsoleStores;
  kb: KnowledgeBase;
  conversations: ConversationStore;
  outbound: OutboundSink;
  logger: Logger;
  config: Pick<Config, 'http'>;
  clock: Clock;
  /** Called after an admin changes the knowledge base, e.g. to retrain the model. */
  onKbChanged?: () => Promise<unknown>;
  modelStatus?: () => Record<string, unknown> | undefined;
  options?: {
    /** How often the live feed polls the database while a console is open (default 1 s). */
    pollMs?: number;
    /** Session lifetime (default 12 h: one shift). */
    sessionTtlMs?: number;
    throttle?: LoginThrottleOptions;
    /** Time zone of the analytics' days (default Asia/Almaty; pass the office-hours zone). */
    timezone?: string;
    /** Insert a few canned responses into an empty table (default true). */
    seedCanned?: boolean;
  };
}

export interface ConsoleMount {
  mount: Mount;
  /** Give these to the pipeline so same-process escalations show at once. */
  events: ConversationEvents;
  actions: OperatorActions;
  /** Every guarded API route (method and path), for tests and documentation. */
  routes: { method: string; path: string; admin: boolean }[];
  /**
   * The one-time first-administrator link under `baseUrl` while no account exists (print it where
   * the deployer sees it), else undefined. Each call makes a new link and voids the previous one.
   */
  setupLink(baseUrl: string): Promise<string | undefined>;
  /** Seeds canned responses; call once after migrations. */
  init(): Promise<void>;
  /** Stops the live feed; idempotent. */
  close(): Promise<void>;
}

const DEFAULT_SESSION_TTL_MS = 12 * 60 * 60_000;

/** Builds the console; mount it with `createHttpApp({ mounts: [console.mount] })`. */
export function createConsoleMount(deps: ConsoleDeps): ConsoleMount {
  const logger = deps.logger.child({ component: 'console' });
  const { accounts, audit, queue, canned } = deps.stores;
  const live = createLiveFeed({ queue, logger, pollMs: deps.options?.pollMs });
  const actions = createOperatorActions({
    conversations: deps.stores.conversations,
    store: deps.conversations,
    outbound: deps.outbound,
    audit,
    events: live.events,
    clock: deps.clock,
    logger,
  });
  const secure = deps.config.http.publicUrl?.startsWith('https:') ?? false;
  const guard = createSessionGuard({ accounts, clock: deps.clock, secure });
  const throttle = createLoginThrottle(deps.stores.loginFailures, deps.clock, deps.options?.throttle);
  const sessionTtlMs = deps.options?.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS;
  const ctx: ConsoleContext = { kb: deps.kb, accounts, audit, canned, queue, analytics: deps.stores.analytics, unanswered: deps.stores.unanswered, kbAdmin: deps.stores.kbAdmin, actions, live, clock: deps.clock, logger, onKbChanged: deps.onKbChanged, modelStatus: deps.modelStatus };
  const clientAddress = createClientAddressResolver(deps.config.http.trustedProxies ?? []);
  const authDeps = { accounts, audit, throttle, guard, clock: deps.clock, logger, sessionTtlMs, clientAddress };
  const routes: ConsoleRoute[] = [logoutRoute(authDeps), ...operatorRoutes(ctx), ...adminRoutes(ctx), ...kbRoutes(ctx), ...insightRoutes(ctx, deps.options?.timezone ?? 'Asia/Almaty')];

  const app = new Hono<ConsoleEnv>();
  mountLogin(app, authDeps);
  const setup = mountSetup(app, authDeps);
  const apiGuard = guard.requireSession('api');
  for (const r of routes) {
    const handlers = r.admin ? [apiGuard, guard.requireAdmin, r.handler] : [apiGuard, r.handler];
    app.on(r.method, r.path, ...(handlers as [typeof apiGuard, typeof apiGuard]));
  }
  mountPages(app, { page: guard.requireSession('page'), api: apiGuard });

  let closed: Promise<void> | undefined;
  return {
    mount: (root) => {
      root.route('/', app as unknown as Hono);
    },
    events: live.events,
    actions,
    routes: routes.map((r) => ({ method: r.method, path: r.path, admin: !!r.admin })),
    setupLink: (baseUrl) => setup.link(baseUrl),
    init: async () => {
      if (deps.options?.seedCanned !== false) await canned.seedIfEmpty();
      await accounts.purgeExpired(deps.clock.now());
    },
    close: () => (closed ??= live.close()),
  };
}
