/**
 * `npm run eval`: the accuracy and stability checks of the engine, through the worker pool.
 * Prints markdown tables, writes eval-results/latest.json and eval-results/latest.md, and refreshes
 * the table in README.md between `<!-- eval:start -->` and `<!-- eval:end -->`.
 * Sections (scripts/eval/*.ts): perceived age on fairface, acne on acne04's boxed lesions, test-retest,
 * photo perturbations (portraits, and acne04 close-ups for acne), synthetic injections, skin tone
 * under a known darkening, robustness. Every metric of the default registry is picked up
 * generically. EVAL_WORKERS (default 2) sets the pool size. EVAL_ONLY (comma-separated section names,
 * e.g. `acne04,age`) runs only those sections and prints them without writing eval-results or the
 * README (for iterating).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createEnginePool } from '../packages/engine/src/index.ts';
import { REPO_ROOT } from '../packages/engine/src/testing/faces.ts';
import { evalAcne04 } from './eval/acne04.ts';
import { evalAge } from './eval/age.ts';
import { evalInject } from './eval/inject.ts';
import { acne04PerturbSet, evalPerturb, PORTRAIT_PERTURB_SET } from './eval/perturb.ts';
import { type EvalReport, renderJson, renderMarkdown } from './eval/report.ts';
import { evalRetest } from './eval/retest.ts';
import { evalRobustness } from './eval/robustness.ts';
import { evalTone } from './eval/tone.ts';

const WORKERS = Number(process.env.EVAL_WORKERS ?? 2);
const ONLY = process.env.EVAL_ONLY ? new Set(process.env.EVAL_ONLY.split(',').map((s) => s.trim())) : null;

function commit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

async function timed<T>(name: string, f: () => Promise<T>): Promise<T | undefined> {
  if (ONLY && !ONLY.has(name)) return undefined;
  const t0 = performance.now();
  const value = await f();
  console.error(`eval: ${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return value;
}

async function updateReadme(markdown: string): Promise<void> {
  const path = join(REPO_ROOT, 'README.md');
  if (!existsSync(path)) return;
  const text = await readFile(path, 'utf8');
  const start = '<!-- eval:start -->';
  const end = '<!-- eval:end -->';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) return;
  await writeFile(path, `${text.slice(0, i + start.length)}\n${markdown}\n${text.slice(j)}`);
}

async function main(): Promise<void> {
  const started = performance.now();
  const pool = await createEnginePool({ workers: WORKERS });
  try {
    const age = await timed('age', () => evalAge(pool));
    const acne04 = await timed('acne04', () => evalAcne04(pool));
    const retest = await timed('retest', () => evalRetest(pool));
    const perturb = await timed('perturbations', () => evalPerturb(pool, PORTRAIT_PERTURB_SET));
    const perturbAcne04 = await timed('perturbations-acne04', async () =>
      evalPerturb(pool, await acne04PerturbSet()),
    );
    const inject = await timed('injections', () => evalInject(pool));
    const tone = await timed('tone', () => evalTone(pool));
    const robustness = await timed('robustness', () => evalRobustness(pool));
    const report: EvalReport = {
      date: new Date().toISOString(),
      commit: commit(),
      seconds: (performance.now() - started) / 1000,
      workers: WORKERS,
      age,
      acne04,
      retest,
      perturb,
      perturb_acne04: perturbAcne04,
      inject,
      tone,
      robustness,
    };
    const markdown = renderMarkdown(report);
    console.log(markdown);
    if (ONLY) return;
    const dir = join(REPO_ROOT, 'eval-results');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'latest.json'), renderJson(report));
    await writeFile(join(dir, 'latest.md'), `${markdown}\n`);
    await updateReadme(markdown);
  } finally {
    await pool.close();
  }
}

await main();
