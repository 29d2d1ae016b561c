/**
 * Draws a login QR code in the terminal (qrcode-terminal), on stderr so that stdout stays clean
 * for command output, like the logs.
 */
import { createRequire } from 'node:module';

interface QrTerminal {
  generate(input: string, opts: { small?: boolean }, cb: (drawing: string) => void): void;
}

// qrcode-terminal is CommonJS without type declarations; this is the one function used.
const qrcode = createRequire(import.meta.url)('qrcode-terminal') as QrTerminal;

/** Renders `qr` as terminal art. */
export function drawQr(qr: string): string {
  let drawing = '';
  qrcode.generate(qr, { small: true }, (d) => (drawing = d));
  return drawing;
}

/** Prints `qr` to `out` (stderr by default). */
export function printQrToTerminal(qr: string, out: { write(s: string): unknown } = process.stderr): void {
  out.write(`\n${drawQr(qr)}\n`);
}
