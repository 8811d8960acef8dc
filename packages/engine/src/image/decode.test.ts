import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { portraitPath } from '../testing/faces.ts';
import { decodeImage, readImageHeader, verifyImage } from './decode.ts';

async function solid(
  width: number,
  height: number,
  format: 'jpeg' | 'png' | 'webp' | 'avif' = 'png',
): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 150, b: 120 } } })
    .toFormat(format)
    .toBuffer();
}

/** A PNG whose header claims width × height but whose data is one tiny compressed row: a decompression bomb's header. */
function bombPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(16))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return ~c >>> 0;
}

describe('decodeImage', () => {
  it('decodes JPEG, PNG, WebP and AVIF to RGB', async () => {
    for (const format of ['jpeg', 'png', 'webp', 'avif'] as const) {
      const decoded = await decodeImage(await solid(320, 240, format));
      assert.equal(decoded.rgb.width, 320, format);
      assert.equal(decoded.rgb.height, 240, format);
      assert.equal(decoded.rgb.data.length, 320 * 240 * 3, format);
      assert.equal(decoded.format, format === 'avif' ? 'heif' : format);
    }
  });

  it('refuses bytes that are not an image', async () => {
    await assert.rejects(decodeImage(Buffer.from('hello, this is text and not a photo')), {
      code: 'not_an_image',
    });
    await assert.rejects(decodeImage(new Uint8Array(0)), { code: 'not_an_image' });
  });

  it('refuses a truncated JPEG', async () => {
    const full = await readFile(portraitPath('ageitgey__examples_obama.jpg'));
    const cut = full.subarray(0, Math.floor(full.length * 0.6));
    await assert.rejects(decodeImage(cut), { code: 'truncated_image' });
    await assert.rejects(verifyImage(cut), { code: 'truncated_image' });
  });

  it('refuses a decompression bomb from its header, before decoding', async () => {
    const bomb = bombPng(60000, 60000);
    assert.ok(bomb.length < 200);
    await assert.rejects(readImageHeader(bomb), { code: 'image_too_large' });
    await assert.rejects(decodeImage(bomb), { code: 'image_too_large' });
  });

  it('refuses an image whose short side is under 200 px', async () => {
    await assert.rejects(decodeImage(await solid(640, 150)), { code: 'image_too_small' });
  });

  it('applies EXIF orientation', async () => {
    const upright = await solid(400, 300, 'jpeg');
    const rotated = await sharp(upright).rotate(90).withMetadata({ orientation: 8 }).jpeg().toBuffer();
    const meta = await sharp(rotated).metadata();
    assert.equal(meta.width, 300);
    const decoded = await decodeImage(rotated);
    assert.equal(decoded.rgb.width, 400);
    assert.equal(decoded.rgb.height, 300);
    assert.equal(decoded.originalWidth, 400);
  });

  it('caps the working copy and reports the scale back to the original', async () => {
    const decoded = await decodeImage(await solid(3000, 1500, 'jpeg'), {
      maxInputPixels: 1e8,
      minSide: 200,
      maxWorkingSide: 1000,
    });
    assert.equal(decoded.rgb.width, 1000);
    assert.equal(decoded.rgb.height, 500);
    assert.equal(decoded.toOriginal, 3);
  });
});
