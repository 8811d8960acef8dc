import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { testEngine } from '../testing/engine-fixture.ts';
import { portraitPath } from '../testing/faces.ts';
import {
  FrameBufferPool,
  FrameBufferScope,
  frameFloat32,
  frameInt32,
  frameUint8,
  giveBack,
  withFrameBuffers,
} from './frame-buffers.ts';

describe('frame buffers', () => {
  it('lends zeroed arrays, takes them back after the scope and lends the same memory again', () => {
    const pool = new FrameBufferPool();
    let first: ArrayBufferLike | undefined;
    withFrameBuffers(pool, () => {
      const a = frameFloat32(1000);
      assert.equal(a.length, 1000);
      a.fill(5);
      first = a.buffer;
    });
    withFrameBuffers(pool, () => {
      const b = frameFloat32(900);
      assert.equal(b.length, 900);
      assert.equal(b.buffer, first, 'the idle buffer is reused');
      assert.ok(
        b.every((v) => v === 0),
        'a reused array is zeroed',
      );
      const c = frameFloat32(900);
      assert.notEqual(c.buffer, b.buffer, 'two arrays lent at once never share memory');
      const m = frameUint8(4000);
      assert.ok(m.every((v) => v === 0));
    });
  });

  it('keeps what a FrameBufferScope lent across its runs, away from other scopes, until it is released', () => {
    const pool = new FrameBufferPool();
    const scope = new FrameBufferScope(pool);
    const kept = scope.run(() => frameFloat32(3000).fill(7));
    const other = withFrameBuffers(pool, () => frameFloat32(3000).buffer);
    assert.notEqual(other, kept.buffer, 'a scope between two runs does not get the kept array');
    scope.run(() => {
      assert.ok(
        kept.every((v) => v === 7),
        'the kept array is untouched',
      );
      assert.notEqual(frameFloat32(3000).buffer, kept.buffer);
    });
    scope.release();
    withFrameBuffers(pool, () => {
      const again = [frameFloat32(3000).buffer, frameFloat32(3000).buffer, frameFloat32(3000).buffer];
      assert.ok(again.includes(kept.buffer), 'released arrays return to the pool');
    });
  });

  it('takes the arrays back when the scope throws, and allocates plainly outside a scope', () => {
    const pool = new FrameBufferPool();
    let lent: ArrayBufferLike | undefined;
    assert.throws(() =>
      withFrameBuffers(pool, () => {
        lent = frameFloat32(5000).buffer;
        throw new Error('metric failed');
      }),
    );
    withFrameBuffers(pool, () => assert.equal(frameFloat32(5000).buffer, lent));
    const outside = frameFloat32(5000);
    assert.notEqual(outside.buffer, lent);
    assert.equal(outside.buffer.byteLength, 5000 * 4);
  });

  it('lends a given-back array again within the same scope, zeroed, and never one still in use', () => {
    const pool = new FrameBufferPool();
    withFrameBuffers(pool, () => {
      const kept = frameInt32(2000).fill(3);
      const done = frameInt32(2000).fill(4);
      giveBack(done);
      const again = frameInt32(2000);
      assert.equal(again.buffer, done.buffer, 'the given-back buffer is lent again');
      assert.ok(again.every((v) => v === 0));
      assert.notEqual(frameInt32(2000).buffer, kept.buffer);
      assert.ok(kept.every((v) => v === 3));
      giveBack(new Int32Array(2000)); // not lent: left alone
    });
    giveBack(frameUint8(100)); // outside a scope: nothing to do
  });

  it('a nested scope leaves the arrays to the outer one', () => {
    const pool = new FrameBufferPool();
    withFrameBuffers(pool, () => {
      const outer = frameFloat32(3000);
      outer.fill(1);
      withFrameBuffers(pool, () => frameFloat32(3000).fill(2));
      const next = frameFloat32(3000);
      assert.notEqual(next.buffer, outer.buffer);
      assert.ok(
        outer.every((v) => v === 1),
        'an array still in use is not lent again',
      );
    });
  });

  it('allocates plainly in an async continuation started within a run, and keeps each pool to itself', async () => {
    const pool = new FrameBufferPool();
    const later = withFrameBuffers(pool, () => Promise.resolve().then(() => frameFloat32(4000)));
    const lent = withFrameBuffers(pool, () => frameFloat32(4000).buffer);
    assert.equal((await later).buffer.byteLength, 4000 * 4, 'a plain array, not a pooled one');
    const other = new FrameBufferPool();
    withFrameBuffers(other, () =>
      assert.notEqual(frameFloat32(4000).buffer, lent, 'another pool has its own buffers'),
    );
    withFrameBuffers(pool, () => assert.equal(frameFloat32(4000).buffer, lent));
  });

  it('keeps at most its byte limit idle', () => {
    const pool = new FrameBufferPool(64 * 1024);
    const [small, large] = withFrameBuffers(pool, () => [
      frameUint8(1000).buffer,
      frameUint8(100_000).buffer,
    ]);
    withFrameBuffers(pool, () => {
      assert.equal(frameUint8(1000).buffer, small, 'the small buffer was kept');
      assert.notEqual(frameUint8(100_000).buffer, large, 'the one beyond the limit was not');
    });
  });

  it('analyses do not leak into each other through reused maps: A, B, A give the same results for A', async () => {
    const engine = await testEngine();
    const options = { restored: false } as const;
    const a = await readFile(portraitPath('person-linda.jpg'));
    const b = await readFile(portraitPath('vladmandic__samples_in_stock-emotions-a-6.jpg'));
    const first = await engine.analyze(a, options);
    await engine.analyze(b, options);
    const again = await engine.analyze(a, options);
    assert.deepEqual(again.results, first.results);
  });
});
