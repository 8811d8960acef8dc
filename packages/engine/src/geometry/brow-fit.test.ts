import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RgbImage } from '../image/rgb-image.ts';
import { BROW_COLUMNS, BROW_SEARCH_UP_MM, fitBrows } from './brow-fit.ts';

/**
 * A synthetic face, level: skin-coloured, each brow drawn as a straight dark band
 * 3 mm thick whose centre is `browY` (with `hairAbove`, everything above the band is dark too: the
 * lower edge of a fringe); the mesh's brow (the landmarks) is put at `meshY`.
 */
const PX_PER_MM = 4;
/** Roll of the synthetic face, degrees: the pupils are level. */
const LEVEL = 0;

function face(browY: number | null, hairAbove = false): RgbImage {
  const width = 500;
  const height = 320;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const dark =
        browY !== null &&
        (hairAbove ? y <= browY + 1.5 * PX_PER_MM : Math.abs(y - browY) <= 1.5 * PX_PER_MM) &&
        ((x > 90 && x < 215) || (x > 285 && x < 410));
      const j = (y * width + x) * 3;
      data[j] = dark ? 70 : 215;
      data[j + 1] = dark ? 55 : 170;
      data[j + 2] = dark ? 45 : 150;
    }
  return { data, width, height };
}

/** Landmarks with every brow column at y = meshY ± 1.5 mm, columns 24 px apart within x 105-201 / 299-395. */
function meshAt(meshY: number): Float32Array {
  const lm = new Float32Array(478 * 3);
  BROW_COLUMNS.forEach(([upper, lower], k) => {
    const side = k < 5 ? 0 : 1;
    const column = k % 5;
    const x = side === 0 ? 105 + column * 24 : 395 - column * 24;
    lm[upper * 3] = x;
    lm[upper * 3 + 1] = meshY - 1.5 * PX_PER_MM;
    lm[lower * 3] = x;
    lm[lower * 3 + 1] = meshY + 1.5 * PX_PER_MM;
  });
  return lm;
}

function browCentres(lm: Float32Array): number[] {
  return BROW_COLUMNS.map(([u, l]) => (lm[u * 3 + 1]! + lm[l * 3 + 1]!) / 2);
}

describe('fitBrows', () => {
  it('moves a brow the mesh put on the lid up onto the dark band, keeping its thickness', () => {
    const meshY = 150;
    const browY = meshY - 6 * PX_PER_MM;
    const fitted = fitBrows(face(browY), meshAt(meshY), LEVEL, PX_PER_MM);
    for (const y of browCentres(fitted))
      assert.ok(Math.abs(y - browY) <= 1, `brow centre ${y}, drawn at ${browY}`);
    for (const [u, l] of BROW_COLUMNS)
      assert.equal(fitted[l * 3 + 1]! - fitted[u * 3 + 1]!, 3 * PX_PER_MM, 'thickness kept');
    for (let i = 0; i < 478; i++)
      if (!BROW_COLUMNS.some(([u, l]) => u === i || l === i))
        assert.equal(fitted[i * 3 + 1], 0, `landmark ${i} untouched`);
  });

  it('leaves the brows where the mesh put them when the photo shows no darker band', () => {
    const mesh = meshAt(150);
    assert.deepEqual(Array.from(fitBrows(face(null), mesh, LEVEL, PX_PER_MM)), Array.from(mesh));
  });

  it('does not take the lower edge of a fringe (hair above the dark band) for a brow', () => {
    const mesh = meshAt(150);
    const fitted = fitBrows(face(150 - 6 * PX_PER_MM, true), mesh, LEVEL, PX_PER_MM);
    assert.deepEqual(Array.from(fitted), Array.from(mesh));
  });

  it('does not look further than BROW_SEARCH_UP_MM above the mesh', () => {
    const mesh = meshAt(200);
    const fitted = fitBrows(face(200 - (BROW_SEARCH_UP_MM + 6) * PX_PER_MM), mesh, LEVEL, PX_PER_MM);
    assert.deepEqual(Array.from(fitted), Array.from(mesh));
  });
});
