import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JobQueue } from '../ports/job-queue.ts';

/** One adapter under test: `open` gives a fresh, empty queue and a second connection to the same queue. */
export interface JobQueueFactory {
  name: string;
  /** Lease the queue was opened with, ms (BullMQ fixes it per queue; the table queue takes it per claim). */
  leaseMs: number;
  open(): Promise<{ queue: JobQueue; reconnect(): Promise<JobQueue>; close(): Promise<void> }>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Claims until a job comes or `ms` pass. */
async function claimWithin(queue: JobQueue, worker: string, leaseMs: number, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    const job = await queue.claim(worker, leaseMs);
    if (job || Date.now() > deadline) return job;
    await sleep(25);
  }
}

/** The JobQueue contract: every adapter passes the same tests, against real services. */
export function jobQueueContract(factory: JobQueueFactory): void {
  const lease = factory.leaseMs;
  const withQueue = (fn: (q: JobQueue, reconnect: () => Promise<JobQueue>) => Promise<void>) => async () => {
    const { queue, reconnect, close } = await factory.open();
    try {
      await fn(queue, reconnect);
    } finally {
      await close();
    }
  };

  describe(`JobQueue contract: ${factory.name}`, () => {
    test(
      'a job is claimed once, oldest first, with its payload; completing it finishes it',
      withQueue(async (q) => {
        const first = await q.enqueue('analyze_image', { imageId: 'img-a' });
        await sleep(5);
        await q.enqueue('deliver_webhook', { deliveryId: 'd-1', imageId: 'img-b' });
        assert.equal(await q.pending(), 2);
        assert.equal(await q.hasUnfinished('img-a'), true);
        assert.equal(await q.hasUnfinished('img-b'), false, 'only analysis jobs count for an image');
        const j1 = await q.claim('w1', lease);
        const j2 = await q.claim('w2', lease);
        assert.equal(j1?.id, first);
        assert.equal(j1?.kind, 'analyze_image');
        assert.deepEqual(j1?.payload, { imageId: 'img-a' });
        assert.equal(j1?.attempts, 1);
        assert.equal(j2?.kind, 'deliver_webhook');
        assert.deepEqual(j2?.payload, { deliveryId: 'd-1', imageId: 'img-b' });
        assert.equal(await q.claim('w3', lease), undefined);
        await q.complete(j1!.id);
        await q.complete(j2!.id);
        assert.equal(await q.hasUnfinished('img-a'), false);
        assert.equal(await q.pending(), 0);
      }),
    );

    test(
      'concurrent claims from two connections: every job is won by exactly one',
      withQueue(async (q, reconnect) => {
        const other = await reconnect();
        try {
          const ids = new Set<string>();
          for (let i = 0; i < 12; i++) ids.add(await q.enqueue('analyze_image', { imageId: `c-${i}` }));
          const claimers = [q, other].flatMap((queue, c) =>
            Array.from({ length: 4 }, async (_, k) => {
              const got: string[] = [];
              for (;;) {
                const job = await queue.claim(`w-${c}-${k}`, lease * 20);
                if (!job) return got;
                got.push(job.id);
              }
            }),
          );
          const claimed = (await Promise.all(claimers)).flat();
          assert.equal(claimed.length, ids.size, `claimed ${claimed.length} for ${ids.size} jobs`);
          assert.deepEqual(new Set(claimed), ids);
        } finally {
          await other.close();
        }
      }),
    );

    test(
      'a job whose holder stops renewing is claimed again after its lease; renewing keeps it',
      withQueue(async (q, reconnect) => {
        const other = await reconnect();
        try {
          await q.enqueue('analyze_image', { imageId: 'lease-a' });
          const held = await q.claim('alive', lease);
          assert.ok(held);
          const renewing = setInterval(() => void q.renew(held.id, 'alive', lease), lease / 4);
          try {
            assert.equal(await claimWithin(other, 'thief', lease, lease * 3), undefined);
          } finally {
            clearInterval(renewing);
          }
          const again = await claimWithin(other, 'heir', lease, lease * 8 + 2000);
          assert.equal(again?.id, held.id, 'the lapsed job is claimed again');
          assert.equal(again?.attempts, 2);
          await other.complete(again.id);
          assert.equal(await other.pending(), 0);
        } finally {
          await other.close();
        }
      }),
    );

    test(
      'a failed job is retried after its back-off until its attempts are spent',
      withQueue(async (q) => {
        await q.enqueue(
          'analyze_image',
          { imageId: 'retry-a' },
          { maxAttempts: 3, backoffMs: 300, backoffCapMs: 400 },
        );
        const j1 = await q.claim('w', lease);
        assert.ok(j1);
        let failedAt = Date.now();
        assert.equal(await q.fail(j1.id, 'boom 1'), true);
        assert.equal(await q.claim('w', lease), undefined, 'not runnable during the back-off');
        assert.equal(await q.hasUnfinished('retry-a'), true);
        const j2 = await claimWithin(q, 'w', lease, 5000);
        assert.ok(Date.now() - failedAt >= 250, 'waited the first back-off');
        assert.equal(j2?.id, j1.id);
        assert.equal(j2?.attempts, 2);
        failedAt = Date.now();
        assert.equal(await q.fail(j2!.id, 'boom 2'), true);
        const j3 = await claimWithin(q, 'w', lease, 5000);
        assert.ok(Date.now() - failedAt >= 350, 'the second back-off is longer (capped at 400 ms)');
        assert.equal(j3?.attempts, 3);
        assert.equal(await q.fail(j3!.id, 'boom 3'), false, 'the last attempt gives up');
        assert.equal(await claimWithin(q, 'w', lease, 600), undefined);
        assert.equal(await q.pending(), 0);
        assert.equal(await q.hasUnfinished('retry-a'), false);
      }),
    );

    test(
      'running jobs name their holder; release puts one back at once only for that holder',
      withQueue(async (q) => {
        await q.enqueue('analyze_image', { imageId: 'rel-a' });
        const job = await q.claim('dead-worker', lease * 20);
        assert.ok(job);
        assert.deepEqual(await q.running(), [{ id: job.id, lockedBy: 'dead-worker' }]);
        assert.equal(await q.release(job.id, 'someone-else'), false);
        assert.equal(await q.release(job.id, 'dead-worker'), true);
        assert.deepEqual(await q.running(), []);
        const again = await q.claim('new-worker', lease);
        assert.equal(again?.id, job.id);
        await q.complete(again.id);
      }),
    );

    test(
      'queued jobs survive a new connection',
      withQueue(async (q, reconnect) => {
        await q.enqueue('analyze_image', { imageId: 'persisted' });
        const other = await reconnect();
        try {
          const job = await other.claim('w', lease);
          assert.deepEqual(job?.payload, { imageId: 'persisted' });
          await other.complete(job!.id);
        } finally {
          await other.close();
        }
      }),
    );
  });
}
