/**
 * telegram-test-api in a process of its own, driven by the benchmark over Node IPC (see
 * startEmulator in bench/e2e.ts). In production Telegram is a remote server: run inside the
 * process under test, the emulator's HTTP stack and its scan of all stored messages on every
 * getUpdates were charged to Kömek. Plain JavaScript, so the child starts without tsx.
 *
 * Messages from the parent: { t: 'send', seq, chatId, text } and { t: 'cpu', seq }.
 * Messages to the parent: { t: 'ready', token, apiRoot }, { t: 'sent', seq, id },
 * { t: 'replied', to } for every bot message that replies to a citizen's message, and
 * { t: 'cpu', seq, ms } (this process's CPU time so far).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import telegramTestApi from 'telegram-test-api';

/**
 * The emulator, with the two internals this file uses (private in the package's types): the
 * express app it serves and the id its next message gets.
 * @typedef {Omit<import('telegram-test-api/lib/telegramServer.js').TelegramServer, never> & {
 *   webServer: ExpressApp,
 *   messageId: number,
 * }} Emulator
 * @typedef {((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void) & { settings?: unknown }} ExpressApp
 * @typedef {{ t: 'send', seq: number, chatId: number, text: string } | { t: 'cpu', seq: number }} FromParent
 */

// The package is CommonJS whose module.exports is the server class itself.
const TelegramServer = /** @type {new (config: object) => Emulator} */ (/** @type {unknown} */ (telegramTestApi));

if (!process.send) throw new Error('bench/emulator-process.mjs runs as a child of the benchmark (IPC channel missing)');
const toParent = process.send.bind(process);

// An orphaned emulator would keep its port and the machine's CPU: it goes with its parent.
process.on('disconnect', () => process.exit(0));

const port = await freePort();
// The package derives its API URL from the port it is given, so the port is chosen up front.
const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 3600 });
longPoll(server);
await server.start();
const token = `${100000 + Math.floor(Math.random() * 800000)}:BENCH-${randomBytes(6).toString('hex')}`;

server.on('AddedBotMessage', function relayReply() {
  // The emulator pushes the message and then emits, synchronously: the last one is this one.
  const to = server.storage.botMessages.at(-1)?.message?.reply_parameters?.message_id;
  if (to !== undefined) toParent({ t: 'replied', to });
});

let sending = Promise.resolve();
process.on('message', function handle(/** @type {FromParent} */ msg) {
  if (msg.t === 'send') {
    const client = server.getClient(token, { chatId: msg.chatId, userId: msg.chatId, firstName: `Citizen ${msg.chatId}` });
    // The emulator numbers a message before its first await and counts up after it, so two
    // messages added in the same tick (IPC delivers several per tick) would share an id: they
    // are added one after another.
    sending = sending.then(async function add() {
      const id = server.messageId;
      await server.addUserMessage(client.makeMessage(msg.text));
      toParent({ t: 'sent', seq: msg.seq, id });
    }).catch(crash);
  } else if (msg.t === 'cpu') {
    const { user, system } = process.cpuUsage();
    toParent({ t: 'cpu', seq: msg.seq, ms: (user + system) / 1000 });
  }
});

toParent({ t: 'ready', token, apiRoot: server.config.apiURL });

/**
 * Telegram holds a getUpdates call until an update arrives (long polling); the emulator answers
 * at once, empty, so a bot polls it in a tight loop and spends its CPU on empty round trips that
 * a real deployment never makes. Here a getUpdates call with nothing unread waits for the next
 * user update (or LONG_POLL_MS, or the client hanging up) before the emulator answers it. The
 * express app is wrapped before start(), which hands it to http.createServer.
 * @param {Emulator} emulator
 */
function longPoll(emulator) {
  const LONG_POLL_MS = 10_000;
  const app = emulator.webServer;
  /** @type {Set<() => void>} */
  const arrived = new Set();
  for (const event of ['AddedUserMessage', 'AddedUserCommand', 'AddedUserCallbackQuery']) {
    emulator.on(event, () => {
      for (const wake of arrived) wake();
      arrived.clear();
    });
  }
  const unread = (/** @type {string} */ token) => emulator.storage.userMessages.some((u) => u.botToken === token && !u.isRead);
  /** @type {ExpressApp} */
  const waitingApp = function waitingApp(req, res) {
    const token = /^\/bot([^/]+)\/getUpdates/.exec(req.url ?? '')?.[1];
    if (token === undefined || unread(token)) return app(req, res);
    let done = false;
    const go = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      arrived.delete(go);
      if (!req.destroyed) app(req, res);
    };
    const timer = setTimeout(go, LONG_POLL_MS);
    arrived.add(go);
    req.once('close', () => {
      // The body may have been read already; only a client that went away ends the wait.
      if (!res.writableEnded && req.destroyed) go();
    });
  };
  // start() also reads the app's settings for a log line.
  waitingApp.settings = app.settings;
  emulator.webServer = waitingApp;
}

/**
 * The parent fails the benchmark with this process's stderr when it exits.
 * @param {unknown} err
 */
function crash(err) {
  process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
}

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address());
      probe.close(() => resolve(port));
    });
  });
}
