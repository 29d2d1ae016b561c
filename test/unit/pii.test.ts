import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { isLuhnValid, isValidIin, redactPii } from '../../core/pii.ts';

/** Builds a valid IIN from 11 digits by computing its check digit. */
function withCheckDigit(eleven: string): string | undefined {
  for (let c = 0; c <= 9; c++) if (isValidIin(eleven + c)) return eleven + c;
  return undefined;
}

it('validates IIN check digits', () => {
  const iin = withCheckDigit('90010130012')!;
  assert.ok(iin);
  assert.equal(isValidIin(iin), true);
  const wrong = iin.slice(0, 11) + ((Number(iin[11]) + 1) % 10);
  assert.equal(isValidIin(wrong), false);
});

it('redacts IIN, card, phone and e-mail, and leaves ordinary numbers alone', () => {
  const iin = withCheckDigit('85070245012')!;
  const text = `Мой ИИН ${iin}, карта 4111 1111 1111 1111, тел +7 (701) 123-45-67, 87011234567, почта aigerim.s@mail.kz. Сумма 150000 тенге за 2024 год, заявка 123456789012.`;
  const out = redactPii(text);
  assert.match(out, /ИИН \[IIN\]/);
  assert.match(out, /карта \[CARD\]/);
  assert.match(out, /тел \[PHONE\], \[PHONE\]/);
  assert.match(out, /почта \[EMAIL\]/);
  assert.match(out, /150000 тенге за 2024 год/);
  assert.ok(!isValidIin('123456789012') ? out.includes('123456789012') : true);
  assert.equal(isLuhnValid('4111111111111111'), true);
});

it('never throws and never grows digits back (property)', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => {
      const out = redactPii(s);
      assert.equal(typeof out, 'string');
      assert.equal(redactPii(out), out);
    }),
  );
});
