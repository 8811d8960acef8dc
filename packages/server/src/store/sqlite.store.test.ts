import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createCompany, createUser } from '../accounts.service.ts';
import { verifyPassword } from '../auth/password.ts';
import { openDataDir } from '../data-dir.ts';

test('the SQLite store migrates a new file, scopes by company and persists across reopen', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skinscope-store-'));
  try {
    const data = await openDataDir(dir);
    const a = await createCompany(data.store, 'A');
    const b = await createCompany(data.store, 'B');
    const user = await createUser(data.store, {
      companyId: a.id,
      username: 'Ann@Example.com',
      password: 'long-password',
    });
    assert.equal(user.username, 'ann@example.com');
    assert.match(user.passwordHash, /^scrypt\$/);
    assert.ok(await verifyPassword('long-password', user.passwordHash));
    assert.ok(!(await verifyPassword('wrong-password', user.passwordHash)));
    await assert.rejects(
      createUser(data.store, { companyId: a.id, username: 'ann@example.com', password: 'x'.repeat(9) }),
      /exists/,
    );
    await assert.rejects(
      createUser(data.store, { companyId: 'nope', username: 'z@z.z', password: 'x'.repeat(9) }),
      /no company/,
    );
    await assert.rejects(
      createUser(data.store, { companyId: a.id, username: 'q@z.z', password: 'short' }),
      /8/,
    );

    const ds = await data.store.datasets.create(a.id, {
      name: 'd',
      imageTypeId: 1,
      expireImagesAfterDays: 7,
      expireMetadataAfterDays: null,
      cleanImagesAsSoonAsReady: true,
    });
    assert.equal(await data.store.datasets.get(b.id, ds.id), undefined);
    assert.equal(await data.store.datasets.update(b.id, ds.id, { name: 'x' }), undefined);
    assert.equal(await data.store.deletion.mark(b.id, { level: 'dataset', datasetId: ds.id }), false);
    await data.close();

    const reopened = await openDataDir(dir);
    const again = await reopened.store.datasets.get(a.id, ds.id);
    assert.equal(again?.name, 'd');
    assert.equal(again?.cleanImagesAsSoonAsReady, true);
    assert.equal(again?.expireImagesAfterDays, 7);
    assert.equal(reopened.secret, data.secret);
    await reopened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
