import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AlgorithmResult } from '../ports/analyzer.ts';
import { partialResults } from './partial-results.ts';

const result = (name: string) => ({ algorithm_tech_name: name }) as AlgorithmResult;
const names = (batch: AlgorithmResult[]) => batch.map((r) => r.algorithm_tech_name);

/** A promise with its resolve function. */
function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A save that records its batches and, for each, waits until the test releases it. */
function gatedSave() {
  const batches: string[][] = [];
  const gates: ReturnType<typeof deferred>[] = [];
  let running = 0;
  let nextStart = deferred();
  return {
    batches,
    gates,
    /** Resolves when the next save call has begun. */
    nextStarted: () => nextStart.promise,
    async save(batch: AlgorithmResult[]) {
      assert.equal(running++, 0, 'one save at a time');
      const gate = deferred();
      gates.push(gate);
      const begun = nextStart;
      nextStart = deferred();
      begun.resolve();
      await gate.promise;
      batches.push(names(batch));
      running--;
    },
  };
}

/** Partial results saved by `s` (a window of `windowMs`; by default one that never closes by itself). */
const gatedPartials = (s: ReturnType<typeof gatedSave>, windowMs = 60_000) =>
  partialResults({ windowMs, save: (b) => s.save(b), onError: (e) => assert.fail(String(e)) });

test('the results that arrive before the window ends are saved together by the window', async () => {
  const s = gatedSave();
  const p = gatedPartials(s, 5);
  p.add(result('a'));
  p.add(result('b'));
  await s.nextStarted();
  s.gates[0]!.resolve();
  await p.flush();
  assert.deepEqual(s.batches, [['a', 'b']]);
  assert.deepEqual([...p.saved], ['a', 'b']);
});

test('a result that arrives while a save runs goes into the next save, after it, in order', async () => {
  const s = gatedSave();
  const p = gatedPartials(s);
  p.add(result('a'));
  p.add(result('b'));
  const first = p.flush();
  await s.nextStarted();
  p.add(result('c'));
  const second = p.flush();
  assert.deepEqual([...p.saved], [], 'nothing is saved while the first save runs');
  s.gates[0]!.resolve();
  await s.nextStarted();
  s.gates[1]!.resolve();
  await Promise.all([first, second]);
  assert.deepEqual(s.batches, [['a', 'b'], ['c']]);
  assert.deepEqual([...p.saved], ['a', 'b', 'c']);
});

test('takeWaiting hands over what has not been saved yet, after the saves under way', async () => {
  const s = gatedSave();
  const p = gatedPartials(s);
  p.add(result('a'));
  void p.flush();
  await s.nextStarted();
  p.add(result('b'));
  const taking = p.takeWaiting();
  s.gates[0]!.resolve();
  assert.deepEqual(names(await taking), ['b']);
  assert.deepEqual(s.batches, [['a']], 'the save under way has ended');
  await p.flush();
  assert.deepEqual(s.batches, [['a']], 'b is never saved here');
  assert.deepEqual([...p.saved], ['a']);
});

test('a failed save is reported and its results are not marked saved; later saves go on', async () => {
  const errors: unknown[] = [];
  let calls = 0;
  const p = partialResults({
    windowMs: 1,
    save: async () => {
      if (calls++ === 0) throw new Error('database busy');
    },
    onError: (error) => errors.push(error),
  });
  p.add(result('a'));
  await p.flush();
  p.add(result('b'));
  await p.flush();
  assert.equal(errors.length, 1);
  assert.deepEqual([...p.saved], ['b']);
});
