import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  AgeModelThread,
  type AlgorithmResult,
  type Analysis,
  ageModelMetrics,
  createEngine,
  defaultRegistry,
  type Engine,
  FaceModels,
  isEngineError,
  selectMetrics,
} from '@skinscope/engine';
import { renderOverlay } from './overlay.ts';
import { formatTable } from './result-table.ts';

/** One element of `skinscope analyze --json` output. */
export interface AnalyzeOutput {
  image: string;
  results: AlgorithmResult[];
  faces_count?: number;
  error?: { code: string; message: string };
}

/**
 * `skinscope analyze [--json] [--algorithms a,b] [--out DIR] <image>...`. A photo without a face gives
 * results with is_ok false and exit code 0; an unreadable file is reported on stderr, the other
 * files are still analysed, and the exit code is 1.
 */
export async function runAnalyze(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`skinscope analyze: ${(error as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) {
    process.stderr.write('skinscope analyze: give at least one image path\n');
    return 2;
  }
  const algorithms = values.algorithms
    ?.split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const registry = defaultRegistry();
  const unknown = (algorithms ?? []).filter((a) => !registry.get(a));
  if (unknown.length) {
    process.stderr.write(
      `skinscope analyze: unknown algorithm(s) ${unknown.join(', ')}; known: ${registry.metrics.map((m) => m.techName).join(', ')}\n`,
    );
    return 2;
  }
  // With a second core, the age model loads and runs once in a thread of its own while this one loads
  // the face models and finds the first face; from the command's bundle, the thread runs the age worker's bundle
  // (SKINSCOPE_AGE_WORKER_BUNDLE is replaced by its URL when the bundle is built). One process, a few
  // photos: no warm-up run of the face models (the first photo pays their set-up instead).
  const workerBundle = process.env.SKINSCOPE_AGE_WORKER_BUNDLE;
  const age =
    availableParallelism() > 1 && ageModelMetrics(registry, selectMetrics(registry, algorithms)).length > 0
      ? AgeModelThread.start(workerBundle ? new URL(workerBundle) : undefined)
      : undefined;
  try {
    const engine = createEngine({ faces: await FaceModels.load({ warmUp: false }), age, registry });
    return await analyzeAll(engine, positionals, values, algorithms);
  } finally {
    await age?.dispose();
  }
}

async function analyzeAll(
  engine: Engine,
  positionals: string[],
  values: ReturnType<typeof parse>['values'],
  algorithms: string[] | undefined,
): Promise<number> {
  if (values.out) await mkdir(values.out, { recursive: true });

  const outputs: AnalyzeOutput[] = [];
  let failed = 0;
  for (const path of positionals) {
    let bytes: Uint8Array;
    let analysis: Analysis;
    try {
      bytes = await readFile(path);
      analysis = await engine.analyze(bytes, { algorithms, restored: Boolean(values.out) });
    } catch (error) {
      failed++;
      const code = isEngineError(error) ? error.code : ((error as NodeJS.ErrnoException).code ?? 'error');
      const message = (error as Error).message;
      process.stderr.write(`skinscope analyze: ${path}: ${message}\n`);
      outputs.push({ image: path, results: [], error: { code, message } });
      continue;
    }
    outputs.push({ image: path, results: analysis.results, faces_count: analysis.faceCount });
    if (values.out) await writeImages(values.out, path, bytes, analysis);
    if (!values.json) process.stdout.write(`${formatTable(path, analysis)}\n`);
  }
  if (values.json) process.stdout.write(`${JSON.stringify(outputs, null, 2)}\n`);
  return failed ? 1 : 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      algorithms: { type: 'string' },
      out: { type: 'string' },
    },
  });
}

async function writeImages(dir: string, path: string, bytes: Uint8Array, analysis: Analysis): Promise<void> {
  const stem = basename(path, extname(path));
  await writeFile(join(dir, `${stem}.overlay.png`), await renderOverlay(bytes, analysis.results));
  if (analysis.restored) await writeFile(join(dir, `${stem}.restored.jpg`), analysis.restored.jpeg);
}
