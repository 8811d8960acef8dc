/**
 * The injections the evaluation uses: the engine's colour helpers
 * (packages/engine/src/testing/inject-colour.ts) for the colour kinds, and the evaluation's own
 * painters (injections.ts) for papules and lines. The texture helpers (inject-texture.ts) work on
 * encoded photos with a full FaceGeometry, which the evaluation does not have (it locates faces
 * through the worker pool); unifying the two is a known follow-up.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Canvas, type FaceLayout, INJECTIONS, type Injection, type Lesion } from './injections.ts';

export interface SourcedInjection extends Injection {
  /** Where the painting comes from. */
  source: string;
}

interface Spot {
  x: number;
  y: number;
  radiusPx: number;
}

type Painter = (
  kind: string,
  image: Canvas,
  layout: FaceLayout,
  grade: number,
  seed: number,
) => { image: Canvas; spots?: Spot[]; lesions?: Spot[] };

/** Our injection names → the kinds of the engine's helpers (module, exported function, kind). */
const ENGINE_KINDS: Record<string, { module: string; fn: string; kind: string }> = {
  spots: { module: 'inject-colour.ts', fn: 'injectColour', kind: 'dark_spots' },
  'diffuse redness': { module: 'inject-colour.ts', fn: 'injectColour', kind: 'redness' },
  'under-eye darkening': { module: 'inject-colour.ts', fn: 'injectColour', kind: 'under_eye' },
  blotches: { module: 'inject-colour.ts', fn: 'injectColour', kind: 'blotches' },
  'skin-tone shift': { module: 'inject-colour.ts', fn: 'injectColour', kind: 'tone_shift' },
};

async function painterOf(module: string, fn: string): Promise<Painter | null> {
  const url = new URL(`../../packages/engine/src/testing/${module}`, import.meta.url);
  if (!existsSync(fileURLToPath(url))) return null;
  try {
    const mod = (await import(url.href)) as Record<string, unknown>;
    return typeof mod[fn] === 'function' ? (mod[fn] as Painter) : null;
  } catch (error) {
    console.error(`eval: could not load ${module}: ${(error as Error).message}`);
    return null;
  }
}

export async function loadInjections(): Promise<SourcedInjection[]> {
  const out: SourcedInjection[] = [];
  for (const own of INJECTIONS) {
    const engine = ENGINE_KINDS[own.name];
    const painter = engine ? await painterOf(engine.module, engine.fn) : null;
    if (!engine || !painter) {
      out.push({ ...own, source: 'scripts/eval/injections.ts' });
      continue;
    }
    out.push({
      name: own.name,
      what: `${engine.module} ${engine.kind}`,
      source: engine.module,
      apply(c, face, grade, seed): Lesion[] {
        try {
          const result = painter(engine.kind, c, face, grade, seed);
          c.data.set(result.image.data);
          return (result.spots ?? result.lesions ?? []).map((s) => ({
            centre: [s.x, s.y],
            radiusPx: s.radiusPx,
          }));
        } catch (error) {
          // A helper that does not know this kind yet: fall back to our own painting.
          console.error(
            `eval: ${engine.module} ${engine.kind} failed (${(error as Error).message}); using the fallback`,
          );
          return own.apply(c, face, grade, seed);
        }
      },
    });
  }
  return out;
}
