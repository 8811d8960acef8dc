// The `analyze` command precompiled into one ES module, so that a one-photo run does not load its
// ~80 TypeScript files through tsx's loader (about half a second of CPU). Plain JavaScript: it runs
// before tsx is registered. `node analyze-bundle.mjs` (npm run build:cli) builds it.
import { mkdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where the bundle is written (a build product, ignored by git). */
export const BUNDLE = fileURLToPath(new URL('../dist/analyze.mjs', import.meta.url));
const ENTRY = fileURLToPath(new URL('../src/analyze.command.ts', import.meta.url));
const AGE_WORKER_ENTRY = fileURLToPath(new URL('../../engine/src/face/age-worker.ts', import.meta.url));
/** First line of the bundle: this marker, then the JSON list of the source files it was built from. */
const HEADER = '// skinscope-bundle-inputs ';
const META = /\bimport\.meta\.(url|dirname|filename)\b/g;

/**
 * The age model's worker thread, bundled beside `bundle` (AgeModelThread runs it instead of its
 * TypeScript entry, which would start tsx in the thread: about 0.4 s of CPU).
 */
export function ageWorkerBundle(bundle = BUNDLE) {
  return bundle.replace(/\.mjs$/, '.age-worker.mjs');
}

/**
 * True when `bundle` exists and none of the source files it lists changed (is newer than the
 * bundle, whose time is set to the start of its build) or went away.
 */
export function isFresh(bundle = BUNDLE) {
  let built;
  let text;
  try {
    built = statSync(bundle).mtimeMs;
    text = readFileSync(bundle, 'utf8');
  } catch {
    return false;
  }
  const end = text.indexOf('\n');
  if (!text.startsWith(HEADER) || end < 0) return false;
  try {
    return JSON.parse(text.slice(HEADER.length, end)).every((path) => statSync(path).mtimeMs <= built);
  } catch {
    return false;
  }
}

/**
 * Bundles `src/analyze.command.ts` and the workspace packages it imports with esbuild (npm packages
 * stay external and load from node_modules as usual), and the age model's worker beside it
 * (`ageWorkerBundle`; the command finds it through `process.env.SKINSCOPE_AGE_WORKER_BUNDLE`, which the
 * build replaces by its URL). `import.meta.url`, `.dirname` and `.filename` keep the values they have
 * in each source file, so model, wasm and data paths resolve as they do from the sources. Each file
 * is written to a temporary file and renamed: processes building at once do not clash.
 */
export async function buildBundle(bundle = BUNDLE) {
  const { build } = await import('esbuild');
  const started = new Date();
  const root = resolve(dirname(ENTRY), '..', '..', '..');
  const worker = ageWorkerBundle(bundle);
  const options = (entry, define) => ({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    keepNames: true,
    metafile: true,
    write: false,
    logLevel: 'silent',
    define,
    plugins: [
      {
        name: 'npm-packages-external',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@skinscope/') ? undefined : { path: args.path, external: true },
          );
        },
      },
      {
        name: 'source-import-meta',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, (args) => {
            const values = {
              url: pathToFileURL(args.path).href,
              dirname: dirname(args.path),
              filename: args.path,
            };
            const source = readFileSync(args.path, 'utf8');
            return { contents: source.replace(META, (_, key) => JSON.stringify(values[key])), loader: 'ts' };
          });
        },
      },
    ],
  });
  const [command, ageWorker] = await Promise.all([
    build(
      options(ENTRY, {
        'process.env.SKINSCOPE_AGE_WORKER_BUNDLE': JSON.stringify(pathToFileURL(worker).href),
      }),
    ),
    build(options(AGE_WORKER_ENTRY, {})),
  ]);
  const inputsOf = (...results) => [
    ...new Set(results.flatMap((r) => Object.keys(r.metafile.inputs).map((p) => resolve(root, p)))),
  ];
  mkdirSync(dirname(bundle), { recursive: true });
  // The worker first: a fresh command bundle (whose inputs include the worker's) implies a fresh worker.
  writeAtomically(
    worker,
    `${HEADER}${JSON.stringify(inputsOf(ageWorker))}\n${ageWorker.outputFiles[0].text}`,
    started,
  );
  writeAtomically(
    bundle,
    `${HEADER}${JSON.stringify(inputsOf(command, ageWorker))}\n${command.outputFiles[0].text}`,
    started,
  );
  return bundle;
}

/** Writes `text` to a temporary file, dates it `time` and renames it to `path` (processes building at once do not clash). */
function writeAtomically(path, text, time) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  utimesSync(tmp, time, time);
  renameSync(tmp, path);
}

/** The bundle's path, built first (with its age worker) when missing or stale; undefined when it cannot be built (run from the sources then). */
export async function analyzeBundle() {
  try {
    return isFresh() && isFresh(ageWorkerBundle()) ? BUNDLE : await buildBundle();
  } catch {
    return undefined;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`built ${await buildBundle()}`);
}
