import sharp, { type OverlayOptions } from 'sharp';
import type { RedAreaGrid } from './ailab-view.ts';

/** Largest opacity of the red overlay. */
const MAX_ALPHA = 0.85;
/** Cell intensity (0-255, 255 = Δa* excess +15) at which the overlay is fully opaque: +5 Δa*. */
const FULL_AT = 85;

/**
 * AILab `face_maps.red_area`: the photo (EXIF-upright, original size) with the engine's red-area
 * grid (redness raw.ailab.red_area: Δa* excess over the face's own median, 0-255) drawn over it in
 * pure red, opacity proportional to the excess up to `MAX_ALPHA` at +5 Δa* (cells average red and
 * plain skin, so +5 is a clearly red cell), bilinearly smoothed to the box; JPEG, base64
 * without a `data:` prefix. Without a grid (redness not assessable) the photo is returned as is.
 */
export async function renderRedAreaMap(photo: Uint8Array, grid: RedAreaGrid | undefined): Promise<string> {
  const base = sharp(photo).rotate();
  const { width = 0, height = 0 } = await sharp(await base.clone().toBuffer()).metadata();
  const layers: OverlayOptions[] = [];
  if (grid && grid.grid_width > 0 && grid.grid_height > 0) {
    const cells = Buffer.from(grid.intensity_base64, 'base64');
    const rgba = Buffer.alloc(grid.grid_width * grid.grid_height * 4);
    for (let i = 0; i < grid.grid_width * grid.grid_height; i++) {
      rgba[4 * i] = 255;
      rgba[4 * i + 3] = Math.round(255 * MAX_ALPHA * Math.min(1, (cells[i] ?? 0) / FULL_AT));
    }
    const left = Math.max(0, Math.round(grid.box.left));
    const top = Math.max(0, Math.round(grid.box.top));
    const w = Math.min(width - left, Math.round(grid.box.width));
    const h = Math.min(height - top, Math.round(grid.box.height));
    if (w > 0 && h > 0) {
      const overlay = await sharp(rgba, {
        raw: { width: grid.grid_width, height: grid.grid_height, channels: 4 },
      })
        .resize(w, h, { fit: 'fill', kernel: 'linear' })
        .png()
        .toBuffer();
      layers.push({ input: overlay, left, top });
    }
  }
  const jpeg = await base.composite(layers).jpeg({ quality: 85 }).toBuffer();
  return jpeg.toString('base64');
}
