import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The engine's folders are its pipeline stages and metric families, and dependencies between them
 * point one way. Biome's `noImportCycles` catches cycles between files; this catches cycles between
 * folders (each top-level file counts as its own node). Tests and `testing/` are left out: they sit
 * on top and may import anything.
 */
const SRC = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'testing' ? [] : sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** A file's node: its folder relative to src, or the file itself at the top level. */
function nodeOf(file: string): string {
  return dirname(file) === SRC ? relative(SRC, file) : relative(SRC, dirname(file));
}

/** Folder → folder edges, each with one import that makes it (for the failure message). */
function folderEdges(): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(SRC)) {
    const from = nodeOf(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      const to = nodeOf(resolve(dirname(file), m[1]!));
      if (to === from) continue;
      const out = edges.get(from) ?? new Map<string, string>();
      edges.set(from, out);
      if (!out.has(to)) out.set(to, `${relative(SRC, file)} imports ${m[1]}`);
    }
  }
  return edges;
}

/** One cycle through the graph (as its edges' explanations), or null when there is none. */
function findCycle(edges: Map<string, Map<string, string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, 'open');
    for (const [next, why] of edges.get(node) ?? []) {
      path.push(why);
      if (state.get(next) === 'open') {
        const start = path.findIndex((w) => nodeOf(join(SRC, w.split(' ')[0]!)) === next);
        return path.slice(start);
      }
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
      path.pop();
    }
    state.set(node, 'done');
    return null;
  };
  for (const node of edges.keys()) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return null;
}

describe('engine layout', () => {
  it('has no import cycle between folders', () => {
    assert.equal(findCycle(folderEdges()), null);
  });

  it('the check sees a cycle when there is one', () => {
    const edges = new Map([
      ['colour', new Map([['framework', 'colour/a.ts imports ../framework/metric.ts']])],
      ['framework', new Map([['colour', 'framework/runner.ts imports ../colour/b.ts']])],
    ]);
    assert.deepEqual(findCycle(edges), [
      'colour/a.ts imports ../framework/metric.ts',
      'framework/runner.ts imports ../colour/b.ts',
    ]);
  });

  it('keeps no module-level mutable state (let, var, or a const Map, Set, WeakMap or array not typed read-only)', () => {
    const offenders = sourceFiles(SRC).flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .filter(
          (line) =>
            /^(export )?(let|var) /.test(line) ||
            /^(export )?const \w+(: (?!Readonly)[^=]+)? = (new (Map|Set|WeakMap|Array)\b|\[\];)/.test(line),
        )
        .map((line) => `${relative(SRC, f)}: ${line}`),
    );
    assert.deepEqual(offenders, []);
  });

  it('the framework imports no metric', () => {
    const framework = folderEdges().get('framework') ?? new Map<string, string>();
    assert.deepEqual(
      [...framework.keys()].filter((to) => to.startsWith('metrics')),
      [],
    );
  });
});
