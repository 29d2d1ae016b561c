import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { t } from '../../core/texts.ts';
import { databaseKinds, type TestDatabase } from '../helpers/databases.ts';
import { consoleHarness, signIn, type Client } from './console-harness.ts';

const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

for (const [kind, open] of await databaseKinds()) {
  describe(`console API on ${kind}`, () => {
    let test: TestDatabase;
    let h: Awaited<ReturnType<typeof consoleHarness>>;
    let aigerim: Client;
    let daniyar: Client;
    let admin: Client;

    before(async () => {
      test = await open();
      h = await consoleHarness(test);
      [aigerim, daniyar, admin] = await Promise.all([signIn(h.app, 'aigerim'), signIn(h.app, 'daniyar'), signIn(h.app, 'admin')]);
    });
    after(async () => {
      await h.console.close();
      await test.drop();
    });

    async function waiting(chatId: string, text = 'Позовите оператора'): Promise<string> {
      const r = await h.citizen(chatId, text);
      assert.equal(r.action, 'escalate');
      return r.conversationId!;
    }

    it('refuses every API route without a session, and state changes without the CSRF token', async () => {
      assert.ok(h.console.routes.length >= 10);
      for (const r of h.console.routes) {
        const path = r.path.replace(':id', SAMPLE_ID);
        const anon = await h.app.request(path, { method: r.method, headers: { 'content-type': 'application/json', 'x-csrf-token': aigerim.csrf }, body: r.method === 'GET' ? undefined : '{}' });
        assert.equal(anon.status, 401, `${r.method} ${r.path} without a session`);
        await anon.body?.cancel();
        if (r.method !== 'GET') {
          const res = await admin.call(r.method, path, {}, { csrf: false });
          assert.equal(res.status, 403, `${r.method} ${r.path} without CSRF`);
          assert.equal(res.json.code, 'csrf');
          const forged = await h.app.request(path, { method: r.method, headers: { cookie: admin.cookie, 'x-csrf-token': aigerim.csrf, 'content-type': 'application/json' }, body: '{}' });
          assert.equal(forged.status, 403, `${r.method} ${r.path} with another session's CSRF token`);
          await forged.body?.cancel();
        }
        if (r.admin) {
          const res = await aigerim.call(r.method, path, r.method === 'GET' ? undefined : {});
          assert.equal(res.status, 403, `${r.method} ${r.path} as an operator`);
        }
      }
    });

    it('serves the login page to anyone and the console only with a session', async () => {
      const login = await h.app.request('/console/login');
      assert.equal(login.status, 200);
      assert.match(login.headers.get('content-security-policy') ?? '', /script-src 'self'/);
      assert.match(await login.text(), /<form/);
      for (const path of ['/console', '/console/assets/app.js']) {
        const anon = await h.app.request(path);
        assert.equal(anon.status, 401, path);
        await anon.body?.cancel();
        const ok = await h.app.request(path, { headers: { cookie: aigerim.cookie } });
        assert.equal(ok.status, 200, path);
        await ok.body?.cancel();
      }
      assert.equal((await h.app.request('/console/assets/styles.css')).status, 200);
      assert.equal((await h.app.request('/console/assets/..%2Fsession-guard.ts', { headers: { cookie: aigerim.cookie } })).status, 404);
    });

    it('sets a session cookie that is HttpOnly and SameSite=Strict, and logs out', async () => {
      const res = await h.app.request('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'daniyar', password: 'correct horse battery' }) });
      const cookie = res.headers.get('set-cookie') ?? '';
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Strict/);
      const { csrfToken } = (await res.json()) as { csrfToken: string };
      const session = cookie.split(';')[0]!;
      const token = session.split('=')[1]!;
      assert.ok(await h.accounts.session(token, new Date(Date.now() + 11 * 3600_000)), 'alive within a shift');
      assert.equal(await h.accounts.session(token, new Date(Date.now() + 13 * 3600_000)), undefined, 'expired after 12 h');
      assert.match(cookie, /Expires=/);
      const out = await h.app.request('/api/logout', { method: 'POST', headers: { cookie: session, 'x-csrf-token': csrfToken } });
      assert.equal(out.status, 200);
      assert.equal((await h.app.request('/api/me', { headers: { cookie: session } })).status, 401);
    });

    it('throttles repeated wrong passwords per username and address, and never says which part was wrong', async () => {
      const attempt = (username: string, password: string) =>
        h.app.request('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
      const unknown = await attempt('nobody', 'whatever password');
      const wrong = await attempt('aigerim', 'wrong password 1');
      assert.equal(unknown.status, 401);
      assert.deepEqual(await unknown.json(), await wrong.json());
      for (let i = 2; i <= 5; i++) assert.equal((await attempt('aigerim', `wrong password ${i}`)).status, 401);
      const blocked = await attempt('aigerim', 'correct horse battery');
      assert.equal(blocked.status, 429);
      assert.ok(Number(blocked.headers.get('retry-after')) > 0);
      assert.equal((await attempt('daniyar', 'correct horse battery')).status, 200, 'other accounts are not locked out');
      const form = await h.app.request('/api/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=daniyar&password=x' });
      assert.equal(form.status, 415, 'a cross-site form cannot post a login');
    });

    it('lists a waiting conversation with its last messages, oldest first', async () => {
      const first = await waiting('queue-1', 'Как получить пособие? Позовите оператора');
      const second = await waiting('queue-2');
      const { json } = await aigerim.call('GET', '/api/queue');
      const ids = json.items.filter((i: { owner: string }) => i.owner === 'waiting').map((i: { id: string }) => i.id);
      assert.ok(ids.indexOf(first) < ids.indexOf(second));
      const item = json.items.find((i: { id: string }) => i.id === first);
      assert.equal(item.channel, 'telegram');
      assert.equal(item.lang, 'ru');
      assert.match(item.lastMessages.at(-1).text, /пособие/);
      assert.ok(item.escalatedAt);
    });

    it('lets exactly one of two operators claim the same chat; the other gets 409 with a clear message', async () => {
      for (let round = 0; round < 5; round++) {
        const id = await waiting(`race-${round}`);
        const [a, b] = await Promise.all([aigerim.call('POST', `/api/conversations/${id}/claim`), daniyar.call('POST', `/api/conversations/${id}/claim`)]);
        const statuses = [a.status, b.status].sort();
        assert.deepEqual(statuses, [200, 409], `round ${round}`);
        const loser = a.status === 409 ? a : b;
        assert.equal(loser.json.error, 'already claimed by another operator');
        const conv = await h.conversations.get(id);
        assert.equal(conv?.owner, 'operator');
        assert.equal(conv?.operatorId, a.status === 200 ? h.operators.aigerim.id : h.operators.daniyar.id);
      }
    });

    it('sends a reply through the sink, stores it as the operator\'s, and keeps the bot silent', async () => {
      const id = await waiting('reply-1');
      assert.equal((await aigerim.call('POST', `/api/conversations/${id}/reply`, { text: 'Сначала займите' })).status, 409);
      const claimedAt = h.outbound.sent.length;
      assert.equal((await aigerim.call('POST', `/api/conversations/${id}/claim`)).status, 200);
      assert.deepEqual(
        h.outbound.sent.slice(claimedAt).map((m) => [m.chatId, m.text, m.from]),
        [['reply-1', 'К вам подключился оператор Айгерім.', undefined]],
        'the citizen hears who joined',
      );
      assert.equal((await daniyar.call('POST', `/api/conversations/${id}/reply`, { text: 'не мой' })).status, 409);
      const before = h.outbound.sent.length;
      const res = await aigerim.call('POST', `/api/conversations/${id}/reply`, { text: 'Здравствуйте! Пособие оформляется в ЦОН.' });
      assert.equal(res.status, 200);
      const sent = h.outbound.sent.slice(before);
      assert.equal(sent.length, 1);
      assert.deepEqual({ channel: sent[0]!.channel, chatId: sent[0]!.chatId, text: sent[0]!.text, lang: sent[0]!.lang, from: sent[0]!.from }, {
        channel: 'telegram',
        chatId: 'reply-1',
        text: 'Здравствуйте! Пособие оформляется в ЦОН.',
        lang: 'ru',
        from: { role: 'operator', name: 'Айгерім' },
      });
      const stored = (await h.conversations.messages(id)).filter((m) => m.author === 'operator');
      assert.equal(stored.length, 1);
      assert.equal(stored[0]!.operatorId, h.operators.aigerim.id);
      const relayed = await h.citizen('reply-1', 'Как получить удостоверение?');
      assert.equal(relayed.action, 'relayed');
      assert.deepEqual(relayed.replies.map((r) => [r.text, r.receipt]), [['', 'relayed']], 'no bot text, only a receipt');
      const view = await aigerim.call('GET', `/api/conversations/${id}`);
      assert.deepEqual(
        view.json.conversation.messages.map((m: { author: string }) => m.author),
        ['citizen', 'bot', 'system', 'bot', 'operator', 'citizen'],
      );
      assert.equal((await aigerim.call('POST', `/api/conversations/${id}/reply`, { text: '   ' })).status, 400);
    });

    it('returns to the bot: citizen told in their language, streak cleared, bot answers again', async () => {
      await h.citizen('return-1', 'бла бла непонятно');
      const id = await waiting('return-1', 'снова непонятно что');
      assert.equal((await h.conversations.get(id))?.owner, 'waiting');
      await daniyar.call('POST', `/api/conversations/${id}/claim`);
      const before = h.outbound.sent.length;
      const res = await daniyar.call('POST', `/api/conversations/${id}/return`);
      assert.equal(res.status, 200);
      const conv = await h.conversations.get(id);
      assert.deepEqual([conv?.owner, conv?.operatorId, conv?.fallbackStreak], ['bot', null, 0]);
      assert.equal(h.outbound.sent[before]?.text, t('returnedToBot', 'ru'));
      const next = await h.citizen('return-1', 'Как получить удостоверение?');
      assert.equal(next.action, 'answer');
      assert.equal((await daniyar.call('POST', `/api/conversations/${id}/return`)).status, 409);
    });

    it('closes and asks the citizen to rate 1–5 in their language; the rating is stored', async () => {
      const id = await waiting('close-1', 'Операторға қосыңызшы');
      assert.equal((await h.conversations.get(id))?.lang, 'kk');
      await aigerim.call('POST', `/api/conversations/${id}/claim`);
      assert.equal((await daniyar.call('POST', `/api/conversations/${id}/close`)).status, 403, 'not the owner');
      const before = h.outbound.sent.length;
      assert.equal((await aigerim.call('POST', `/api/conversations/${id}/close`)).status, 200);
      const ask = h.outbound.sent[before]!;
      assert.equal(ask.text, t('rateHelp', 'kk'));
      assert.deepEqual(ask.buttons?.map((b) => b.action), [1, 2, 3, 4, 5].map((score) => ({ type: 'rate', score })));
      assert.equal((await h.conversations.get(id))?.owner, 'closed');
      const rated = await h.citizen('close-1', ask.buttons![4]!.label, { callbackData: 'r:5' });
      assert.equal(rated.action, 'rating');
      const { json } = await admin.call('GET', '/api/audit');
      assert.ok(json.items.some((a: { action: string; target: string }) => a.action === 'close' && a.target === id));
    });

    it('transfers to another operator, who can then reply; an admin may return anyone\'s chat', async () => {
      const id = await waiting('transfer-1');
      await aigerim.call('POST', `/api/conversations/${id}/claim`);
      assert.equal((await daniyar.call('POST', `/api/conversations/${id}/transfer`, { operatorId: h.operators.daniyar.id })).status, 403);
      assert.equal((await aigerim.call('POST', `/api/conversations/${id}/transfer`, { operatorId: 'nope' })).status, 400);
      assert.equal((await aigerim.call('POST', `/api/conversations/${id}/transfer`, { operatorId: h.operators.daniyar.id })).status, 200);
      assert.equal((await aigerim.call('POST', `/api/conversations/${id}/reply`, { text: 'я уже не владею' })).status, 409);
      assert.equal((await daniyar.call('POST', `/api/conversations/${id}/reply`, { text: 'Теперь я с вами' })).status, 200);
      assert.equal((await admin.call('POST', `/api/conversations/${id}/return`)).status, 200);
      assert.equal((await aigerim.call('GET', `/api/conversations/${SAMPLE_ID}`)).status, 404);
      assert.equal((await aigerim.call('POST', `/api/conversations/not-a-uuid/claim`)).status, 404);
    });

    it('streams changes to every connected console (SSE)', async () => {
      const ctrl = new AbortController();
      const res = await h.app.request('/api/events', { headers: { cookie: daniyar.cookie }, signal: ctrl.signal });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const read = async (pattern: RegExp) => {
        const until = Date.now() + 5000;
        while (!pattern.test(text)) {
          if (Date.now() > until) throw new Error(`no ${pattern} in ${text}`);
          const { value, done } = await reader.read();
          if (done) break;
          text += decoder.decode(value);
        }
      };
      await read(/event: ready/);
      const id = await waiting('live-1');
      await read(new RegExp(`"conversationId":"${id}"[^\\n]*"owner":"waiting"`));
      ctrl.abort();
      await reader.cancel().catch(() => {});
    });
  });
}
