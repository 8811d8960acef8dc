import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AlgorithmResult } from '../ports/analyzer.ts';
import { partialResults } from './partial-results.ts';

const result = (name: string) => ({ algorithm_tech_name: name }) as AlgorithmResult;
const names = (batch: AlgorithmResult[]) => batch.map((r) => r.algorithm_tech_name);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('results that arrive within the window are saved together, in order, one save at a time', async () => {
  const batches: string[][] = [];
  let running = 0;
  const p = partialResults({
    windowMs: 20,
    save: async (batch) => {
      assert.equal(running++, 0, 'one save at a time');
      await sleep(30);
      batches.push(names(batch));
      running--;
    },
    onError: (error) => assert.fail(String(error)),
  });
  p.add(result('a'));
  p.add(result('b'));
  await sleep(5);
  p.add(result('c'));
  await sleep(40); // the first save has begun (window over) and is still running
  p.add(result('d'));
  assert.deepEqual([...p.saved], []);
  await p.flush();
  assert.deepEqual(batches, [['a', 'b', 'c'], ['d']]);
  assert.deepEqual([...p.saved], ['a', 'b', 'c', 'd']);
});

test('takeWaiting hands over what has not been saved yet, after the saves under way', async () => {
  const batches: string[][] = [];
  const p = partialResults({
    windowMs: 10,
    save: async (batch) => {
      await sleep(20);
      batches.push(names(batch));
    },
    onError: (error) => assert.fail(String(error)),
  });
  p.add(result('a'));
  await sleep(15); // a's save is under way
  p.add(result('b'));
  assert.deepEqual(names(await p.takeWaiting()), ['b']);
  assert.deepEqual(batches, [['a']], 'the save under way has ended');
  await sleep(30);
  assert.deepEqual(batches, [['a']], 'b is never saved here');
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
