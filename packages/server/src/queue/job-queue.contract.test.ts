import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { openPostgresDatabase } from '../store/postgres.store.ts';
import { openSqliteDatabase } from '../store/sqlite.store.ts';
import { createDatabase, type Service, startPostgres, startRedis } from '../testing/services.ts';
import { bullmqJobQueue } from './bullmq.job-queue.ts';
import { jobQueueContract } from './job-queue.contract.ts';
import { sqlJobQueue } from './sql.job-queue.ts';

const LEASE_MS = 500;
let postgres: Service;
let redis: Service;
before(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
});
after(async () => {
  await Promise.all([postgres?.destroy(), redis?.destroy()]);
});

jobQueueContract({
  name: 'table queue on SQLite',
  leaseMs: LEASE_MS,
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'skinscope-queue-'));
    const path = join(dir, 'q.db');
    const dbs = [await openSqliteDatabase(path)];
    return {
      queue: sqlJobQueue(dbs[0]!),
      async reconnect() {
        const db = await openSqliteDatabase(path);
        dbs.push(db);
        return sqlJobQueue(db);
      },
      async close() {
        for (const db of dbs) await db.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});

jobQueueContract({
  name: 'table queue on PostgreSQL',
  leaseMs: LEASE_MS,
  async open() {
    const url = await createDatabase(postgres, `q_${randomUUID().slice(0, 8)}`);
    const dbs = [await openPostgresDatabase(url)];
    return {
      queue: sqlJobQueue(dbs[0]!),
      async reconnect() {
        const db = await openPostgresDatabase(url);
        dbs.push(db);
        return sqlJobQueue(db);
      },
      async close() {
        for (const db of dbs) await db.destroy();
      },
    };
  },
});

jobQueueContract({
  name: 'BullMQ on Redis',
  leaseMs: LEASE_MS,
  async open() {
    const name = `contract-${randomUUID().slice(0, 8)}`;
    const queue = bullmqJobQueue({ url: redis.url, name, leaseMs: LEASE_MS });
    return {
      queue,
      reconnect: async () => bullmqJobQueue({ url: redis.url, name, leaseMs: LEASE_MS }),
      close: () => queue.close(),
    };
  },
});
