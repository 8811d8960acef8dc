import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { portraitPath } from '../testing/faces.ts';
import { endsCompletely } from './complete-file.ts';

/** Whether libvips, decoding with `failOn: 'truncated'`, accepts the bytes. */
async function decodes(bytes: Uint8Array): Promise<boolean> {
  try {
    await sharp(bytes, { failOn: 'truncated' }).resize(64, 64, { fit: 'inside' }).raw().toBuffer();
    return true;
  } catch {
    return false;
  }
}

/** Offsets inside the entropy-coded data (after the first SOS segment) and in the header. */
function cutPoints(bytes: Uint8Array): number[] {
  const sos = bytes.findIndex((b, i) => b === 0xff && bytes[i + 1] === 0xda);
  const cuts = [Math.floor(sos / 2), sos + 1];
  for (const share of [0.05, 0.3, 0.6, 0.9, 0.99]) cuts.push(sos + Math.floor((bytes.length - sos) * share));
  cuts.push(bytes.length - 3);
  return cuts;
}

/** An APP1 segment whose payload holds a complete small JPEG, as an EXIF thumbnail does. */
function app1WithThumbnail(thumbnail: Uint8Array): Uint8Array {
  const length = thumbnail.length + 2;
  return Uint8Array.from([0xff, 0xe1, length >> 8, length & 0xff, ...thumbnail]);
}

describe('endsCompletely', () => {
  it('accepts every portrait, baseline and progressive, and refuses each cut that libjpeg refuses', async () => {
    const names = (await readdir(portraitPath(''))).filter((f) => /\.jpe?g$/i.test(f));
    assert.ok(names.length >= 20);
    for (const name of names) {
      const bytes = new Uint8Array(await readFile(portraitPath(name)));
      assert.equal(endsCompletely(bytes, 'jpeg'), true, name);
    }
    for (const name of names.slice(0, 6)) {
      const bytes = new Uint8Array(await readFile(portraitPath(name)));
      for (const cut of cutPoints(bytes)) {
        const part = bytes.subarray(0, cut);
        assert.equal(endsCompletely(part, 'jpeg'), false, `${name} cut at ${cut}`);
        assert.equal(await decodes(part), false, `${name} cut at ${cut}: libjpeg accepts it`);
      }
    }
  });

  it('reads a progressive JPEG to its end marker and a cut one as cut', async () => {
    const bytes = new Uint8Array(
      await sharp(portraitPath('ageitgey__examples_obama.jpg')).jpeg({ progressive: true }).toBuffer(),
    );
    assert.equal(endsCompletely(bytes, 'jpeg'), true);
    assert.equal(endsCompletely(bytes.subarray(0, Math.floor(bytes.length * 0.8)), 'jpeg'), false);
  });

  it('is not misled by an end marker inside an APP segment, and allows bytes after EOI', async () => {
    const thumbnail = new Uint8Array(
      await sharp({ create: { width: 16, height: 16, channels: 3, background: '#a87' } })
        .jpeg()
        .toBuffer(),
    );
    const photo = new Uint8Array(await readFile(portraitPath('ageitgey__examples_obama.jpg')));
    const withExif = Uint8Array.from([
      ...photo.subarray(0, 2),
      ...app1WithThumbnail(thumbnail),
      ...photo.subarray(2),
    ]);
    assert.equal(endsCompletely(withExif, 'jpeg'), true);
    assert.equal(endsCompletely(withExif.subarray(0, Math.floor(withExif.length * 0.7)), 'jpeg'), false);
    assert.equal(endsCompletely(withExif.subarray(0, 2 + thumbnail.length + 8), 'jpeg'), false);
    assert.equal(endsCompletely(Uint8Array.from([...photo, 0, 1, 2, 3]), 'jpeg'), true);
  });

  it('walks a PNG to IEND and refuses a cut one', async () => {
    const png = new Uint8Array(await sharp(portraitPath('ageitgey__examples_obama.jpg')).png().toBuffer());
    assert.equal(endsCompletely(png, 'png'), true);
    for (const share of [0.001, 0.5, 0.999]) {
      const part = png.subarray(0, Math.floor(png.length * share));
      assert.equal(endsCompletely(part, 'png'), false, `cut at ${share}`);
    }
    assert.equal(endsCompletely(png.subarray(0, png.length - 12), 'png'), false);
  });

  it('leaves other formats to a decode', async () => {
    const webp = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#a87' } })
      .webp()
      .toBuffer();
    assert.equal(endsCompletely(webp, 'webp'), undefined);
  });
});
