/**
 * The icon browsers ask for at /favicon.ico on every page: without it every visit logs a 404.
 * Drawn here (a sun-yellow disc in a teal ring, the chat's colours) and packed as an ICO holding
 * one 32×32 PNG, so no binary file is kept in the repository and nothing is fetched.
 */
import { deflateSync } from 'node:zlib';

const SIZE = 32;
const TEAL = [0x00, 0xa3, 0xc4];
const SUN = [0xfe, 0xc5, 0x0c];

function pixels(): Buffer {
  // One filter byte (0: none) before each row of RGBA.
  const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
  const c = (SIZE - 1) / 2;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const r = Math.hypot(x - c, y - c);
      const colour = r <= 11 ? SUN : r <= 15.5 ? TEAL : undefined;
      const at = y * (SIZE * 4 + 1) + 1 + x * 4;
      if (colour) raw.set([...colour, 255], at);
    }
  }
  return raw;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

function png(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(pixels())), chunk('IEND', Buffer.alloc(0))]);
}

/** The bytes of /favicon.ico: an ICO directory with one PNG image. */
export function faviconIco(): Buffer {
  const image = png();
  const head = Buffer.alloc(22);
  head.writeUInt16LE(0, 0); // reserved
  head.writeUInt16LE(1, 2); // type: icon
  head.writeUInt16LE(1, 4); // one image
  head.set([SIZE, SIZE, 0, 0], 6); // width, height, no palette, reserved
  head.writeUInt16LE(1, 10); // colour planes
  head.writeUInt16LE(32, 12); // bits per pixel
  head.writeUInt32LE(image.length, 14);
  head.writeUInt32LE(22, 18); // offset of the image
  return Buffer.concat([head, image]);
}
