import { writeFileSync } from 'node:fs';
import sharp from 'sharp';

/**
 * Writes a one-frame Y4M video (4:2:0, BT.601 full range) of a photo fitted into `width` × `height` on a grey
 * background, as a webcam frames a person, for Chromium's `--use-file-for-fake-video-capture` (looped).
 */
export async function writeY4m(photo: string, out: string, width = 640, height = 480): Promise<void> {
  const { data } = await sharp(photo)
    .rotate()
    .resize(width, height, { fit: 'contain', background: { r: 70, g: 74, b: 78 } })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const y = Buffer.alloc(width * height);
  const u = Buffer.alloc((width / 2) * (height / 2));
  const v = Buffer.alloc((width / 2) * (height / 2));
  for (let i = 0; i < width * height; i++) {
    const r = data[i * 3]!;
    const g = data[i * 3 + 1]!;
    const b = data[i * 3 + 2]!;
    y[i] = clamp(0.299 * r + 0.587 * g + 0.114 * b);
  }
  for (let cy = 0; cy < height / 2; cy++) {
    for (let cx = 0; cx < width / 2; cx++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        const i = (cy * 2 + dy) * width + cx * 2 + dx;
        r += data[i * 3]!;
        g += data[i * 3 + 1]!;
        b += data[i * 3 + 2]!;
      }
      r /= 4;
      g /= 4;
      b /= 4;
      const j = cy * (width / 2) + cx;
      u[j] = clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
      v[j] = clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
    }
  }
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(out, Buffer.concat([header, Buffer.from('FRAME\n'), y, u, v]));
}

const clamp = (x: number) => Math.max(0, Math.min(255, Math.round(x)));
