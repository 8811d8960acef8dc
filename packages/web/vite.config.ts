import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { evalFigures } from './src/figures/eval-figures.ts';

const here = dirname(fileURLToPath(import.meta.url));
const EVAL_RESULTS = join(here, '../../eval-results/latest.json');
/** The face models the capture guidance runs (Human's detector and mesh), served from the app's own folder. */
const GUIDANCE_MODELS = ['blazeface.json', 'blazeface.bin', 'facemesh.json', 'facemesh.bin'];
const TFJS_WASM = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
];

/** The folder of an installed package, looked up the way Node does (this folder, then each parent). */
function packageDir(name: string): string {
  for (let dir = here; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`${name} is not installed`);
  }
}

/** `virtual:eval-figures`: the per-algorithm figures of eval-results/latest.json, extracted at build time. */
function evalFiguresModule(): Plugin {
  const id = 'virtual:eval-figures';
  return {
    name: 'skinscope-eval-figures',
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load(resolved) {
      if (resolved !== `\0${id}`) return undefined;
      this.addWatchFile(EVAL_RESULTS);
      const latest = existsSync(EVAL_RESULTS) ? JSON.parse(readFileSync(EVAL_RESULTS, 'utf8')) : {};
      return `export default ${JSON.stringify(evalFigures(latest))};`;
    },
  };
}

/** Copies the guidance models and the tfjs WebAssembly binaries into `dist/human/`, so nothing comes from a CDN. */
function guidanceAssets(): Plugin {
  const files = () => [
    ...GUIDANCE_MODELS.map((f) => ({
      from: join(packageDir('@vladmandic/human'), 'models', f),
      to: `human/models/${f}`,
    })),
    ...TFJS_WASM.map((f) => ({
      from: join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist', f),
      to: `human/wasm/${f}`,
    })),
  ];
  return {
    name: 'skinscope-guidance-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const file = files().find((f) => req.url === `/${f.to}`);
        if (!file) return next();
        res.setHeader(
          'content-type',
          file.to.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream',
        );
        res.end(readFileSync(file.from));
      });
    },
    generateBundle() {
      for (const f of files()) this.emitFile({ type: 'asset', fileName: f.to, source: readFileSync(f.from) });
    },
  };
}

export default defineConfig({
  plugins: [evalFiguresModule(), guidanceAssets()],
  build: { target: 'es2022', chunkSizeWarningLimit: 2500 },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/images': 'http://127.0.0.1:8080',
      '/service': 'http://127.0.0.1:8080',
      '/notifications': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
});
