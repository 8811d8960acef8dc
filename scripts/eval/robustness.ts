/** Robustness: inputs that must give a clear answer (no face, or a typed error), never a crash or a hang. */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { EnginePool } from '../../packages/engine/src/index.ts';
import { isEngineError } from '../../packages/engine/src/index.ts';
import { portraitPath } from '../../packages/engine/src/testing/faces.ts';
import { tryAnalyze } from './pool.ts';

export interface RobustnessRow {
  case: string;
  expected: string;
  outcome: string;
  pass: boolean;
  ms: number;
}

interface Case {
  name: string;
  expected: string;
  bytes: () => Promise<Buffer>;
  accept: (outcome: string) => boolean;
}

const portrait = () => readFile(portraitPath('ageitgey__examples_obama.jpg'));

/** A JPEG whose header claims 40000 × 40000 px (a decompression bomb). */
async function headerBomb(): Promise<Buffer> {
  const jpeg = Buffer.from(
    await sharp({ create: { width: 64, height: 64, channels: 3, background: '#888' } })
      .jpeg()
      .toBuffer(),
  );
  for (let i = 2; i < jpeg.length - 9; i++) {
    if (jpeg[i] === 0xff && (jpeg[i + 1] === 0xc0 || jpeg[i + 1] === 0xc2)) {
      jpeg.writeUInt16BE(40000, i + 5);
      jpeg.writeUInt16BE(40000, i + 7);
      break;
    }
  }
  return jpeg;
}

const CASES: Case[] = [
  {
    name: 'no face (smooth noise, 400 px)',
    expected: 'no_face on every algorithm',
    bytes: async () => {
      const raw = Buffer.alloc(400 * 400 * 3);
      for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919) % 251;
      return sharp(raw, { raw: { width: 400, height: 400, channels: 3 } })
        .blur(3)
        .jpeg()
        .toBuffer();
    },
    accept: (o) => o === 'no_face',
  },
  {
    name: 'tiny image (24 × 24 px)',
    expected: 'image_too_small or no_face',
    bytes: async () =>
      sharp(await portrait())
        .resize(24, 24)
        .jpeg()
        .toBuffer(),
    accept: (o) => o === 'image_too_small' || o === 'no_face',
  },
  {
    name: 'truncated file (first 40% of a JPEG)',
    expected: 'truncated_image (or a result, if the decoder recovers)',
    bytes: async () => {
      const b = await portrait();
      return b.subarray(0, Math.round(b.length * 0.4));
    },
    accept: (o) => o === 'truncated_image' || o === 'not_an_image' || o === 'ok' || o === 'no_face',
  },
  {
    name: 'not an image (text)',
    expected: 'not_an_image',
    bytes: async () => Buffer.from('this is not an image'),
    accept: (o) => o === 'not_an_image',
  },
  {
    name: 'huge image (portrait upscaled to 7200 × 9000 px, 65 MP)',
    expected: 'ok (decoded at a capped working size) or image_too_large',
    bytes: async () =>
      sharp(await portrait())
        .resize(7200, 9000)
        .jpeg({ quality: 80 })
        .toBuffer(),
    accept: (o) => o === 'ok' || o === 'image_too_large',
  },
  {
    name: 'decompression bomb (header says 40000 × 40000 px)',
    expected: 'image_too_large',
    bytes: headerBomb,
    accept: (o) => o === 'image_too_large' || o === 'truncated_image' || o === 'not_an_image',
  },
];

export async function evalRobustness(pool: EnginePool): Promise<RobustnessRow[]> {
  const rows: RobustnessRow[] = [];
  for (const c of CASES) {
    const outcome = await tryAnalyze(pool, await c.bytes());
    let label: string;
    if (outcome.ok) {
      const a = outcome.analysis;
      label = a.faceCount === 0 ? 'no_face' : a.results.every((r) => r.algorithm_tech_name) ? 'ok' : 'broken';
    } else {
      label = isEngineError(outcome.error) ? outcome.error.code : `crash: ${outcome.error.message}`;
    }
    rows.push({ case: c.name, expected: c.expected, outcome: label, pass: c.accept(label), ms: outcome.ms });
  }
  return rows;
}
