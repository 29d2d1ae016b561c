/**
 * Operator accounts and their console sessions. Passwords are argon2id hashes; a session is
 * stored by the SHA-256 of its token, so a leaked table does not let anyone sign in.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import type { OperatorRole } from '../core/operator-actions.ts';
import type { Db } from './client.ts';
import { operators, operatorSessions } from './schema.ts';

export interface OperatorAccount {
  id: string;
  username: string;
  displayName: string;
  role: OperatorRole;
  disabled: boolean;
  createdAt: Date;
}

export interface OperatorSession {
  operator: OperatorAccount;
  csrfToken: string;
  expiresAt: Date;
}

/** Usernames are short, lower-case identifiers: what an operator types at the login prompt. */
export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;
export const MIN_PASSWORD = 10;

/** How often a used session's last-seen time is written. */
const TOUCH_EVERY_MS = 60_000;

// A well-formed hash to verify against when the username is unknown, so a missing account
// costs as much time as a wrong password and usernames cannot be probed by timing.
let decoy: Promise<string> | undefined;

/** Creates the accounts and sessions repository. */
export function createOperatorAccounts(db: Db) {
  function validate(input: { username: string; password: string }): void {
    if (!USERNAME.test(input.username)) throw new Error('username must be 2–64 characters: a-z, 0-9, ".", "_" or "-", starting with a letter or digit');
    if ([...input.password].length < MIN_PASSWORD) throw new Error(`password must be at least ${MIN_PASSWORD} characters`);
  }

  async function add(input: { username: string; password: string; role: OperatorRole; displayName?: string }): Promise<OperatorAccount> {
    validate(input);
    const passwordHash = await hash(input.password);
    const created = await db
      .insert(operators)
      .values({ username: input.username, displayName: input.displayName?.trim() || input.username, passwordHash, role: input.role })
      .onConflictDoNothing({ target: operators.username })
      .returning();
    if (!created[0]) throw new Error(`operator "${input.username}" already exists`);
    return toAccount(created[0]);
  }

  /**
   * Creates the first account, an admin, only while there is no account at all; undefined when
   * one exists. Two setup pages submitted at once must not both succeed, so the check and the
   * insert run under one transaction-scoped advisory lock.
   */
  async function addFirstAdmin(input: { username: string; password: string; displayName?: string }): Promise<OperatorAccount | undefined> {
    validate(input);
    const passwordHash = await hash(input.password);
    return db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('komek:first-admin'))`);
      if ((await tx.select({ id: operators.id }).from(operators).limit(1)).length > 0) return undefined;
      const created = await tx
        .insert(operators)
        .values({ username: input.username, displayName: input.displayName?.trim() || input.username, passwordHash, role: 'admin' })
        .returning();
      return toAccount(created[0]!);
    });
  }

  /** Whether any account exists (disabled ones too): the first-start setup is over once one does. */
  async function any(): Promise<boolean> {
    return (await db.select({ id: operators.id }).from(operators).limit(1)).length > 0;
  }

  async function setPassword(username: string, password: string): Promise<boolean> {
    if ([...password].length < MIN_PASSWORD) throw new Error(`password must be at least ${MIN_PASSWORD} characters`);
    const done = await db.update(operators).set({ passwordHash: await hash(password) }).where(eq(operators.username, username)).returning({ id: operators.id });
    if (done[0]) await db.delete(operatorSessions).where(eq(operatorSessions.operatorId, done[0].id));
    return done.length === 1;
  }

  async function setDisabled(username: string, disabled: boolean): Promise<boolean> {
    const done = await db.update(operators).set({ disabled }).where(eq(operators.username, username)).returning({ id: operators.id });
    if (done[0] && disabled) await db.delete(operatorSessions).where(eq(operatorSessions.operatorId, done[0].id));
    return done.length === 1;
  }

  /** The account when the password is right and the account enabled; otherwise undefined. */
  async function authenticate(username: string, password: string): Promise<OperatorAccount | undefined> {
    const found = await db.select().from(operators).where(eq(operators.username, username));
    const row = found[0];
    const ok = await verify(row?.passwordHash ?? (await (decoy ??= hash(randomBytes(16).toString('hex')))), password).catch(() => false);
    return row && ok && !row.disabled ? toAccount(row) : undefined;
  }

  async function list(): Promise<OperatorAccount[]> {
    return (await db.select().from(operators).orderBy(asc(operators.displayName))).map(toAccount);
  }

  async function get(id: string): Promise<OperatorAccount | undefined> {
    const found = await db.select().from(operators).where(eq(operators.id, id));
    return found[0] ? toAccount(found[0]) : undefined;
  }

  async function openSession(operatorId: string, ttlMs: number, now: Date): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + ttlMs);
    await db.insert(operatorSessions).values({ tokenHash: tokenHash(token), operatorId, csrfToken, expiresAt, lastSeenAt: now });
    return { token, csrfToken, expiresAt };
  }

  /** The live session of `token`, or undefined when unknown, expired or its account disabled. */
  async function session(token: string, now: Date): Promise<OperatorSession | undefined> {
    const found = await db
      .select({ s: operatorSessions, o: operators })
      .from(operatorSessions)
      .innerJoin(operators, eq(operators.id, operatorSessions.operatorId))
      .where(and(eq(operatorSessions.tokenHash, tokenHash(token)), gt(operatorSessions.expiresAt, now)));
    const row = found[0];
    if (!row || row.o.disabled) return undefined;
    // Presence (db/operator-presence.ts) reads this; once a minute is fresh enough and spares a
    // write on every console request.
    if (now.getTime() - row.s.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      await db.update(operatorSessions).set({ lastSeenAt: now }).where(eq(operatorSessions.tokenHash, row.s.tokenHash));
    }
    return { operator: toAccount(row.o), csrfToken: row.s.csrfToken, expiresAt: row.s.expiresAt };
  }

  async function closeSession(token: string): Promise<void> {
    await db.delete(operatorSessions).where(eq(operatorSessions.tokenHash, tokenHash(token)));
  }

  async function purgeExpired(now: Date): Promise<number> {
    return (await db.delete(operatorSessions).where(lt(operatorSessions.expiresAt, now)).returning({ t: operatorSessions.tokenHash })).length;
  }

  return { add, addFirstAdmin, any, setPassword, setDisabled, authenticate, list, get, openSession, session, closeSession, purgeExpired };
}

export type OperatorAccounts = ReturnType<typeof createOperatorAccounts>;

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toAccount(row: typeof operators.$inferSelect): OperatorAccount {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role === 'admin' ? 'admin' : 'operator',
    disabled: row.disabled,
    createdAt: row.createdAt,
  };
}
