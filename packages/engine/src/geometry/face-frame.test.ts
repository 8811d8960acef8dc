import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { FaceModels } from '../face/face-models.ts';
import { decodeImage } from '../image/decode.ts';
import { portraitPath } from '../testing/faces.ts';
import { AREA_NAMES } from './areas.ts';
import { buildFaceFrame } from './face-frame.ts';
import { buildFaceGeometry } from './face-geometry.ts';

describe('face frame', () => {
  it('keeps every area pixel inside the area box, and the box-bound masks equal their whole-frame definitions', async () => {
    const models = await FaceModels.load();
    const original = await readFile(portraitPath('ageitgey__examples_obama.jpg'));
    const rolled = await sharp(original).rotate(25, { background: '#808080' }).jpeg().toBuffer();
    const cropped = await sharp(original).extract({ left: 0, top: 120, width: 520, height: 300 }).toBuffer();
    for (const [name, bytes] of Object.entries({ original, rolled, cropped })) {
      const decoded = await decodeImage(bytes);
      const [detected] = await models.detect(decoded.rgb);
      assert.ok(detected, `${name}: a face`);
      const frame = buildFaceFrame(decoded.rgb, buildFaceGeometry(detected, decoded.rgb));
      const w = frame.width;
      for (const area of AREA_NAMES) {
        const poly = frame.areaMask(area).data;
        const skin = frame.areaSkinMask(area).data;
        const b = frame.areaBox(area);
        assert.ok(
          b.x0 >= 0 && b.y0 >= 0 && b.x1 <= w && b.y1 <= frame.height,
          `${name} ${area}: box in the frame`,
        );
        let inArea = 0;
        let kept = 0;
        for (let i = 0; i < poly.length; i++) {
          const x = i % w;
          const y = (i - x) / w;
          if (poly[i])
            assert.ok(x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1, `${name} ${area}: (${x}, ${y})`);
          assert.equal(skin[i], poly[i]! & frame.skinMask.data[i]!, `${name} ${area}: skin mask at ${i}`);
          inArea += poly[i]! & frame.expectedMask.data[i]!;
          kept += skin[i]!;
        }
        assert.equal(frame.areaOccludedFraction(area), inArea ? 1 - kept / inArea : 1, `${name} ${area}`);
      }
    }
  });
});
