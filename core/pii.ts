/**
 * Redaction of personal data for logs and analytics copies: Kazakhstan IIN (12 digits whose last
 * digit is a check digit), phone numbers, bank card numbers (Luhn-valid) and e-mail addresses.
 * Operators still see conversations as written; only copies made for logs and statistics are
 * redacted. Validating check digits keeps ordinary numbers (amounts, years) readable.
 */

/** Check digit of an IIN/BIN: weights 1..11, and 3..11,1,2 when the first sum gives 10. */
export function isValidIin(digits: string): boolean {
  if (!/^\d{12}$/.test(digits)) return false;
  const d = [...digits].map(Number);
  const w1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const w2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
  let check = w1.reduce((s, w, i) => s + w * d[i]!, 0) % 11;
  if (check === 10) {
    check = w2.reduce((s, w, i) => s + w * d[i]!, 0) % 11;
    if (check === 10) return false;
  }
  return check === d[11];
}

export function isLuhnValid(digits: string): boolean {
  if (!/^\d{13,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let n = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// Digit runs with the separators people type inside card and phone numbers.
const DIGIT_RUN = /\+?\d[\d\s().-]{8,23}\d/g;

/** Replaces personal data with placeholders: [IIN], [CARD], [PHONE], [EMAIL]. */
export function redactPii(text: string): string {
  return text.replace(EMAIL, '[EMAIL]').replace(DIGIT_RUN, (run) => {
    const digits = run.replace(/\D/g, '');
    if (digits.length === 12 && isValidIin(digits)) return '[IIN]';
    if (digits.length >= 13 && digits.length <= 19 && isLuhnValid(digits)) return '[CARD]';
    if (isPhone(run, digits)) return '[PHONE]';
    return run;
  });
}

/** Kazakhstan numbers (+7 / 8 and 10 digits) and international ones written with a plus. */
function isPhone(run: string, digits: string): boolean {
  if (/^(7|8)\d{10}$/.test(digits)) return true;
  return run.startsWith('+') && digits.length >= 10 && digits.length <= 15;
}
