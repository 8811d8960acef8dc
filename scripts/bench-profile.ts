/**
 * `npm run bench:profile`: V8's CPU profiler (the one `node --cpu-prof` uses, started through
 * node:inspector so that start-up and model loading stay out of it) over PROFILE_ROUNDS analyses
 * (default 2) of every ~1 MP single-face portrait, all algorithms and the restored image, one
 * thread. Prints the self time by part of the stack (engine module, tfjs wasm kernels, sharp,
 * garbage collection) and the 25 costliest functions, and writes the profile to
 * PROFILE_OUT (default `/tmp/skinscope-analysis.cpuprofile`, opens in Chrome DevTools).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { createEngine, FaceModels } from '../packages/engine/src/index.ts';
import { portraitPath, SINGLE_FACE_PORTRAITS } from '../packages/engine/src/testing/faces.ts';
import { markdownTable } from './bench-stats.ts';

const ROUNDS = Number(process.env.PROFILE_ROUNDS ?? 2);
const OUT = process.env.PROFILE_OUT ?? '/tmp/skinscope-analysis.cpuprofile';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Which part of the stack a frame belongs to: an engine source file, a dependency, or V8's own. */
function partOf(url: string, name: string): string {
  if (!url)
    return name.startsWith('(')
      ? name
      : name.startsWith('wasm-function')
        ? 'wasm (tfjs kernels)'
        : '(native)';
  if (url.startsWith('wasm://')) return 'wasm (tfjs kernels)';
  const engine = /packages\/engine\/src\/(.+)$/.exec(url);
  if (engine) return `engine/${engine[1]}`;
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return dep[1]!;
  if (url.startsWith('node:')) return 'node internals';
  return url.replace(/^file:\/\/.*\/(packages|scripts)\//, '$1/');
}

/**
 * The stage a frame marks: the age model, the face models, the decode, the restored image, the
 * geometry, or a metric's or shared input's compute. Samples are charged to their innermost stage
 * frame. Work that continues after an await (Human's detection, sharp's callbacks) has no stage
 * frame on its stack and counts as "other".
 */
function stageOf(frame: ProfileNode['callFrame']): string | null {
  const { functionName: f, url } = frame;
  if (f === 'estimate' && url.includes('age-model')) return 'age model (faceres)';
  if (f === 'detect' && url.includes('face-models')) return 'face detection + mesh';
  if (f === 'decodeImage') return 'decode';
  if (f === 'encodeRestored' || f === 'renderRestored') return 'restored image';
  if (f === 'buildFaceGeometry' || f === 'buildFaceFrame') return 'geometry';
  const m =
    /metrics\/[^/]+\/([^/]+)\.(metric|input)\.ts/.exec(url) ?? /colour\/([^/]+)\.(input)\.ts/.exec(url);
  if (m && (f === 'compute' || f === '')) return `${m[2]}: ${m[1]}`;
  return null;
}

function summarise(profile: Profile, analyses: number): void {
  const selfMs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byStage = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    let stage: string | null = null;
    for (let at: number | undefined = id; at !== undefined && !stage; at = parent.get(at))
      stage = stageOf(nodes.get(at)!.callFrame);
    const own = nodes.get(id)!.callFrame.functionName;
    const key = stage ?? (own.startsWith('(') ? own : 'other (after awaits: Human, sharp callbacks)');
    byStage.set(key, (byStage.get(key) ?? 0) + ms);
  }
  const byPart = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    if (!ms) continue;
    total += ms;
    const { functionName, url, lineNumber } = node.callFrame;
    const part = partOf(url, functionName);
    byPart.set(part, (byPart.get(part) ?? 0) + ms);
    const fn = `${functionName || '(anonymous)'} ${part}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
  }
  const rows = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, ms]) => [k, ms / analyses, (100 * ms) / total]);
  console.log(
    `\n### CPU profile: time per analysis by stage, metric and shared input (${analyses} analyses)\n`,
  );
  console.log(markdownTable(['stage', 'ms per analysis', '% of samples'], rows(byStage, 40)));
  console.log(`\n### CPU profile: self time per analysis by part (${analyses} analyses)\n`);
  console.log(markdownTable(['part', 'ms per analysis', '% of samples'], rows(byPart, 30)));
  console.log('\n### Costliest functions (self time)\n');
  console.log(markdownTable(['function', 'ms per analysis', '% of samples'], rows(byFunction, 25)));
}

async function main(): Promise<void> {
  const photos: Buffer[] = [];
  for (const name of SINGLE_FACE_PORTRAITS) photos.push(await readFile(portraitPath(name)));
  const engine = createEngine({ faces: await FaceModels.load() });
  const oneMp: Buffer[] = [];
  for (const bytes of photos) {
    const a = await engine.analyze(bytes, { restored: true });
    const pixels = a.image.width * a.image.height;
    if (pixels > 0.7e6 && pixels < 1.6e6) oneMp.push(bytes);
  }
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  const t0 = performance.now();
  for (let round = 0; round < ROUNDS; round++)
    for (const bytes of oneMp) await engine.analyze(bytes, { restored: true });
  const wall = performance.now() - t0;
  const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
  session.disconnect();
  await writeFile(OUT, JSON.stringify(profile));
  const n = ROUNDS * oneMp.length;
  console.log(`${n} analyses of ~1 MP portraits: ${(wall / n).toFixed(0)} ms each (wall); profile in ${OUT}`);
  summarise(profile, n);
}

await main();
