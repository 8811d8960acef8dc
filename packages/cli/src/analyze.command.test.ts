import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { portraitPath } from '../../engine/src/testing/faces.ts';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'skinscope.js');

function skinscope(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
}

describe('skinscope analyze', () => {
  it('prints one JSON element per input, reports unreadable files and keeps going', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skinscope-cli-'));
    const notImage = join(dir, 'notes.jpg');
    writeFileSync(notImage, 'not an image');
    const face = portraitPath('ageitgey__examples_obama-720p.jpg');
    const out = join(dir, 'out');
    const run = skinscope(['analyze', '--json', '--out', out, notImage, face, join(dir, 'missing.jpg')]);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /notes\.jpg: The file is not an image/);
    assert.match(run.stderr, /missing\.jpg: ENOENT/);
    const parsed = JSON.parse(run.stdout) as {
      image: string;
      results: { algorithm_tech_name: string; is_ok: boolean; result: { error_code?: string } }[];
    }[];
    assert.deepEqual(
      parsed.map((p) => p.image),
      [notImage, face, join(dir, 'missing.jpg')],
    );
    // A metric may refuse a photo below its resolution gate (DESIGN.md); nothing else may fail.
    assert.ok(
      parsed[1]!.results.length >= 3 &&
        parsed[1]!.results.every((r) => r.is_ok || r.result.error_code === 'not_assessable_resolution'),
    );
    assert.deepEqual(readdirSync(out).sort(), [
      'ageitgey__examples_obama-720p.overlay.png',
      'ageitgey__examples_obama-720p.restored.jpg',
    ]);
  });

  it('answers "No face detected" with exit code 0, and honours --algorithms', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skinscope-cli-'));
    const blank = join(dir, 'blank.png');
    await sharp({ create: { width: 300, height: 300, channels: 3, background: '#b4b4b4' } })
      .png()
      .toFile(blank);
    const run = skinscope(['analyze', '--json', '--algorithms', 'quality', blank]);
    assert.equal(run.status, 0, run.stderr);
    const [entry] = JSON.parse(run.stdout) as {
      results: { algorithm_tech_name: string; is_ok: boolean; result: { error: string } }[];
    }[];
    assert.deepEqual(
      entry!.results.map((r) => [r.algorithm_tech_name, r.is_ok, r.result.error]),
      [
        ['face_detector', false, 'No face detected'],
        ['quality', false, 'No face detected'],
      ],
    );
  });

  it('prints a readable table without --json', () => {
    const run = skinscope(['analyze', portraitPath('ageitgey__examples_obama-720p.jpg')]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /algorithm\s+area\s+metric\s+value/);
    assert.match(run.stdout, /quality\s+face\s+image_quality_score\s+\d+/);
  });
});
