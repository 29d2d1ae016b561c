import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeProblems, formatKbLine, parseKbCsv, parseKbJsonl } from '../../core/kb-format.ts';

const good = (o: Record<string, unknown> = {}) =>
  JSON.stringify({ id: 'id-card', lang: 'kk', question: 'Жеке куәлік', answer: 'ХҚКО арқылы.', ...o });

describe('knowledge-base JSON Lines', () => {
  it('parses valid lines with defaults for optional fields', () => {
    const r = parseKbJsonl(`${good()}\n\n${good({ lang: 'ru', alt_questions: ['удос'], source_url: 'https://egov.kz/cms/ru', category: 'documents' })}\n`);
    assert.deepEqual(r.problems, []);
    assert.equal(r.entries.length, 2);
    assert.deepEqual(r.entries[0]!.altQuestions, []);
    assert.equal(r.entries[0]!.sourceUrl, null);
    assert.equal(r.entries[1]!.category, 'documents');
    assert.equal(r.entries[1]!.enabled, true);
  });

  it('reports every problem with its line and field and returns no entries', () => {
    const text = [
      good(),
      '{not json',
      JSON.stringify({ id: 'x', lang: 'de', question: 'q', answer: 'a' }),
      JSON.stringify({ id: 'y', lang: 'ru', answer: 'a' }),
      good(),
      good({ id: 'z', alt_question: ['typo'] }),
      good({ id: 'w', source_url: 'ftp://x' }),
      '[1,2]',
    ].join('\n');
    const r = parseKbJsonl(text);
    assert.equal(r.entries.length, 0);
    const got = r.problems.map((p) => `${p.line}:${p.field}`);
    assert.deepEqual(got, ['2:null', '3:lang', '4:question', '5:id', '6:alt_question', '7:source_url', '8:null']);
    assert.match(describeProblems(r.problems), /line 5, field id: duplicate of line 1/);
  });

  it('round-trips through formatKbLine', () => {
    const r = parseKbJsonl(good({ alt_questions: ['a', 'b'], source_url: 'https://egov.kz', category: 'c', enabled: false }));
    const again = parseKbJsonl(formatKbLine(r.entries[0]!));
    assert.deepEqual(again.entries, r.entries);
  });
});

describe('knowledge-base CSV', () => {
  it('parses the same columns with | separated phrasings', () => {
    const csv = 'id,lang,question,answer,alt_questions,source_url,category\n"id-card",ru,"Как получить удостоверение?","Через ЦОН, с документами.","удос|удостоверение личности",https://egov.kz/cms/ru,documents\n';
    const r = parseKbCsv(csv);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.entries[0]!.altQuestions, ['удос', 'удостоверение личности']);
    assert.equal(r.entries[0]!.answer, 'Через ЦОН, с документами.');
  });

  it('names unknown and missing columns and bad rows', () => {
    assert.deepEqual(
      parseKbCsv('id,lang,question,colour\n').problems.map((p) => `${p.line}:${p.field}`),
      ['1:colour', '1:answer'],
    );
    const r = parseKbCsv('id,lang,question,answer\nok,ru,q,a\nbad,xx,q,a\n');
    assert.deepEqual(r.problems.map((p) => `${p.line}:${p.field}`), ['3:lang']);
    assert.equal(r.entries.length, 0);
  });
});

describe('source_url', () => {
  // The accepted set and messages as they were with zod's deprecated z.string().url().
  const outcome = (source_url: unknown) => {
    const r = parseKbJsonl(good({ source_url }));
    return r.problems.length > 0 ? r.problems.map((p) => p.message).join('|') : r.entries[0]!.sourceUrl;
  };
  it('accepts http and https URLs, trimmed, with any host', () => {
    assert.equal(outcome('https://egov.kz/cms/ru'), 'https://egov.kz/cms/ru');
    assert.equal(outcome('http://localhost:3000/x'), 'http://localhost:3000/x');
    assert.equal(outcome('http://127.0.0.1'), 'http://127.0.0.1');
    assert.equal(outcome('https://егов.кз/путь'), 'https://егов.кз/путь');
    assert.equal(outcome(' https://egov.kz '), 'https://egov.kz');
    assert.equal(outcome(null), null);
  });
  it('refuses other schemes and malformed URLs with one message, and non-strings with zod’s', () => {
    for (const bad of ['ftp://x', 'https:egov.kz', 'https:/egov.kz', 'HTTPS://EGOV.KZ', 'https://']) assert.equal(outcome(bad), 'must be an http(s) URL', bad);
    assert.equal(outcome('not a url'), 'must be an http(s) URL|must be an http(s) URL');
    assert.match(String(outcome(42)), /expected string/);
  });
});
