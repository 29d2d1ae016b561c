import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseInbound } from '../../bots/whatsapp/inbound.ts';

const key = (over: object = {}) => ({ remoteJid: '77011234567@s.whatsapp.net', id: 'ABC123', fromMe: false, ...over });

describe('whatsapp inbound parsing', () => {
  it('reads plain and extended text, with the replied-to message id', () => {
    assert.deepEqual(parseInbound({ key: key(), message: { conversation: 'ЖСН қалай алуға болады?' } }), {
      ok: true,
      message: { chatId: '77011234567@s.whatsapp.net', userId: '77011234567@s.whatsapp.net', messageId: 'ABC123', text: 'ЖСН қалай алуға болады?', kind: 'text' },
    });
    const ext = parseInbound({ key: key(), message: { extendedTextMessage: { text: 'Как получить ЭЦП?', contextInfo: { stanzaId: 'PREV1' } } } });
    assert.ok(ext.ok);
    assert.equal(ext.message.text, 'Как получить ЭЦП?');
    assert.equal(ext.message.kind, 'text');
    assert.equal(ext.message.replyTo, 'PREV1');
  });

  it('maps media to kinds and keeps captions as text', () => {
    const kindOf = (message: object) => {
      const r = parseInbound({ key: key(), message });
      return r.ok ? [r.message.kind, r.message.text] : [r.reason];
    };
    assert.deepEqual(kindOf({ stickerMessage: { mimetype: 'image/webp' } }), ['sticker', '']);
    assert.deepEqual(kindOf({ audioMessage: { ptt: true } }), ['voice', '']);
    assert.deepEqual(kindOf({ imageMessage: { caption: 'паспорт' } }), ['photo', 'паспорт']);
    assert.deepEqual(kindOf({ documentMessage: { fileName: 'a.pdf' } }), ['document', '']);
    assert.deepEqual(kindOf({ documentWithCaptionMessage: { message: { documentMessage: { caption: 'справка' } } } }), ['document', 'справка']);
    assert.deepEqual(kindOf({ locationMessage: { degreesLatitude: 51.1 } }), ['other', '']);
    // Disappearing-message and view-once wrappers are unwrapped first.
    assert.deepEqual(kindOf({ ephemeralMessage: { message: { extendedTextMessage: { text: 'hi' } } } }), ['text', 'hi']);
    assert.deepEqual(kindOf({ viewOnceMessageV2: { message: { imageMessage: {} } } }), ['photo', '']);
  });

  it('takes the group participant as the user when there is one', () => {
    const r = parseInbound({ key: key({ participant: '77770000000@s.whatsapp.net', remoteJid: '12345@lid' }), message: { conversation: 'x' } });
    assert.ok(r.ok);
    assert.equal(r.message.chatId, '12345@lid');
    assert.equal(r.message.userId, '77770000000@s.whatsapp.net');
  });

  it('ignores own messages, status, groups, broadcasts, channels and non-messages', () => {
    const reason = (k: object, message: object = { conversation: 'x' }) => {
      const r = parseInbound({ key: key(k), message });
      return r.ok ? 'accepted' : r.reason;
    };
    assert.equal(reason({ fromMe: true }), 'from-me');
    assert.equal(reason({ remoteJid: 'status@broadcast' }), 'status');
    assert.equal(reason({ remoteJid: '120363000000000000@g.us', participant: '7701@s.whatsapp.net' }), 'group');
    assert.equal(reason({ remoteJid: '1234567890@broadcast' }), 'broadcast');
    assert.equal(reason({ remoteJid: '120363000000000000@newsletter' }), 'newsletter');
    assert.equal(reason({}, { reactionMessage: { text: '👍' } }), 'not-a-message');
    assert.equal(reason({}, { protocolMessage: { type: 0 } }), 'not-a-message');
    assert.equal(reason({}, { messageContextInfo: {} }), 'no-content');
  });

  it('never throws on malformed input', () => {
    const junk: unknown[] = [
      undefined,
      null,
      42,
      'text',
      {},
      { key: null, message: { conversation: 'x' } },
      { key: {}, message: { conversation: 'x' } },
      { key: { remoteJid: '7701@s.whatsapp.net' }, message: { conversation: 'x' } },
      { key: { id: 'A' }, message: { conversation: 'x' } },
      { key: { remoteJid: 42, id: 'A' }, message: {} },
      { key: key() },
      { key: key(), message: null },
      { key: key(), message: { conversation: null } },
      { key: key(), message: { extendedTextMessage: null } },
      { key: key(), message: { imageMessage: { caption: 5 } } },
    ];
    for (const raw of junk) {
      const r = parseInbound(raw);
      if (r.ok) assert.equal(typeof r.message.text, 'string');
    }
    assert.deepEqual(parseInbound({ key: key() }), { ok: false, reason: 'no-content' });
    assert.deepEqual(parseInbound({ key: {}, message: { conversation: 'x' } }), { ok: false, reason: 'malformed' });
  });
});
