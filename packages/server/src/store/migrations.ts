import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';

/** Schema migrations, in order. Written with Kysely's schema builder so they run on SQLite and PostgreSQL. */
const migrations: Record<string, Migration> = {
  '0001_init': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('companies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('creation_time', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('creation_time', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('private_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('expiration_time', 'text')
        .addColumn('creation_time', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('datasets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('image_type_id', 'integer', (c) => c.notNull())
        .addColumn('expire_images_after_days', 'integer')
        .addColumn('expire_metadata_after_days', 'integer')
        .addColumn('clean_images_as_soon_as_ready', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('creation_time', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('application_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('application_id', 'text', (c) => c.notNull())
        .addColumn('dataset_id', 'text', (c) => c.notNull())
        .addColumn('enabled_algorithms', 'text')
        .addColumn('creation_time', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('subjects')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('dataset_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('birth_date', 'text')
        .addColumn('biological_sex', 'text')
        .addColumn('meta', 'text', (c) => c.notNull())
        .addColumn('author_id', 'text')
        .addColumn('creation_time', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('batches')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('dataset_id', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('creation_time', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('images')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('dataset_id', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('batch_id', 'text', (c) => c.notNull())
        .addColumn('side_id', 'integer', (c) => c.notNull())
        .addColumn('light_id', 'integer', (c) => c.notNull())
        .addColumn('blob_key', 'text')
        .addColumn('width', 'integer')
        .addColumn('height', 'integer')
        .addColumn('format', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('application_run_ids', 'text', (c) => c.notNull())
        .addColumn('meta', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('creation_time', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('images_batch').on('images').columns(['company_id', 'batch_id']).execute();
      await db.schema
        .createTable('results')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('image_id', 'text', (c) => c.notNull())
        .addColumn('application_run_id', 'text', (c) => c.notNull())
        .addColumn('application_id', 'text', (c) => c.notNull())
        .addColumn('algorithm_version_id', 'integer', (c) => c.notNull())
        .addColumn('algorithm_family_tech_name', 'text', (c) => c.notNull())
        .addColumn('algorithm_tech_name', 'text', (c) => c.notNull())
        .addColumn('is_ok', 'integer', (c) => c.notNull())
        .addColumn('result', 'text', (c) => c.notNull())
        .addColumn('creation_time', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('results_image').on('results').columns(['image_id']).execute();
      await db.schema
        .createTable('aux_images')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('image_id', 'text', (c) => c.notNull())
        .addColumn('aux_image_type', 'text', (c) => c.notNull())
        .addColumn('blob_key', 'text', (c) => c.notNull())
        .addColumn('width', 'integer', (c) => c.notNull())
        .addColumn('height', 'integer', (c) => c.notNull())
        .addColumn('creation_time', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('aux_images_image').on('aux_images').columns(['image_id']).execute();
      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('run_after', 'text', (c) => c.notNull())
        .addColumn('locked_by', 'text')
        .addColumn('locked_until', 'text')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('jobs_runnable').on('jobs').columns(['status', 'run_after']).execute();
    },
  },
  '0002_sessions_and_attempts': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('token_families')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('creation_time', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('refresh_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('family_id', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('creation_time', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('refresh_tokens_family')
        .on('refresh_tokens')
        .columns(['family_id'])
        .execute();
      await db.schema.alterTable('images').addColumn('attempt_id', 'text').execute();
      await db.schema.alterTable('images').addColumn('attempt_until', 'text').execute();
      await db.schema.alterTable('results').addColumn('attempt_id', 'text').execute();
    },
  },
  '0003_deletion_webhooks': {
    async up(db: Kysely<unknown>) {
      for (const table of ['datasets', 'subjects', 'batches', 'images']) {
        await db.schema.alterTable(table).addColumn('deleted_at', 'text').execute();
      }
      await db.schema
        .createIndex('images_subject')
        .on('images')
        .columns(['company_id', 'subject_id', 'creation_time'])
        .execute();
      await db.schema.createIndex('images_deleted').on('images').columns(['deleted_at']).execute();
      await db.schema
        .createTable('webhooks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('dataset_id', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('authorization', 'text', (c) => c.notNull())
        .addColumn('authorization_key', 'text')
        .addColumn('authorization_value', 'text')
        .addColumn('secret_key', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('creation_time', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhooks_dataset').on('webhooks').columns(['dataset_id']).execute();
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('webhook_id', 'text', (c) => c.notNull())
        .addColumn('dataset_id', 'text', (c) => c.notNull())
        .addColumn('image_id', 'text', (c) => c.notNull())
        .addColumn('application_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('last_status_code', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('job_id', 'text')
        .addColumn('creation_time', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('delivered_at', 'text')
        .addUniqueConstraint('webhook_deliveries_once', ['webhook_id', 'image_id', 'application_id'])
        .execute();
      await db.schema.createIndex('webhook_deliveries_image').on('webhook_deliveries').columns(['image_id']);
    },
  },
  '0004_api_keys_and_mask_renders': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('expiration_time', 'text')
        .addColumn('creation_time', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('mask_renders')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('image_id', 'text', (c) => c.notNull())
        .addColumn('cache_key', 'text', (c) => c.notNull())
        .addColumn('blob_key', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('creation_time', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('mask_renders_image_key')
        .on('mask_renders')
        .columns(['image_id', 'cache_key'])
        .unique()
        .execute();
    },
  },
  '0005_portable_jobs': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('jobs').addColumn('image_id', 'text').execute();
      await db.schema
        .alterTable('jobs')
        .addColumn('backoff_ms', 'integer', (c) => c.notNull().defaultTo(2000))
        .execute();
      await db.schema
        .alterTable('jobs')
        .addColumn('backoff_cap_ms', 'integer', (c) => c.notNull().defaultTo(60_000))
        .execute();
      const jobs = db as unknown as Kysely<{
        jobs: { id: string; payload: string; image_id: string | null };
      }>;
      for (const job of await jobs.selectFrom('jobs').select(['id', 'payload']).execute()) {
        const imageId = (JSON.parse(job.payload) as { imageId?: unknown }).imageId;
        if (typeof imageId === 'string')
          await jobs.updateTable('jobs').set({ image_id: imageId }).where('id', '=', job.id).execute();
      }
      await db.schema.createIndex('jobs_image').on('jobs').columns(['image_id', 'status']).execute();
      await db.schema
        .createIndex('webhook_deliveries_image')
        .ifNotExists()
        .on('webhook_deliveries')
        .columns(['image_id'])
        .execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the database schema up to date; throws with the failing migration's error. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${String(error)}`);
  }
}
