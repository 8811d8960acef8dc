import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Webhook, WebhookDelivery, WebhooksRepo } from '../ports/store.ts';
import type { Database, WebhookDeliveriesTable, WebhooksTable } from './db-schema.ts';
import { nowIso } from './rows.ts';

const toWebhook = (r: Selectable<WebhooksTable>): Webhook => ({
  id: r.id,
  companyId: r.company_id,
  datasetId: r.dataset_id,
  url: r.url,
  method: r.method as Webhook['method'],
  authorization: r.authorization as Webhook['authorization'],
  authorizationKey: r.authorization_key,
  authorizationValue: r.authorization_value,
  secretKey: r.secret_key,
  enabled: r.enabled === 1,
  creationTime: r.creation_time,
});

const toDelivery = (r: Selectable<WebhookDeliveriesTable>): WebhookDelivery => ({
  id: r.id,
  companyId: r.company_id,
  webhookId: r.webhook_id,
  datasetId: r.dataset_id,
  imageId: r.image_id,
  applicationId: r.application_id,
  status: r.status as WebhookDelivery['status'],
  attempts: r.attempts,
  lastStatusCode: r.last_status_code,
  lastError: r.last_error,
  jobId: r.job_id,
  creationTime: r.creation_time,
  updatedAt: r.updated_at,
  deliveredAt: r.delivered_at,
});

/** Webhooks and their delivery log over Kysely; API reads are scoped by company and dataset. */
export function webhooksQueries(db: Kysely<Database>): WebhooksRepo {
  const get: WebhooksRepo['get'] = async (companyId, datasetId, id) => {
    const row = await db
      .selectFrom('webhooks')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('dataset_id', '=', datasetId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toWebhook(row);
  };
  return {
    async create(input) {
      const row: WebhooksTable = {
        id: randomUUID(),
        company_id: input.companyId,
        dataset_id: input.datasetId,
        url: input.url,
        method: input.method,
        authorization: input.authorization,
        authorization_key: input.authorizationKey,
        authorization_value: input.authorizationValue,
        secret_key: input.secretKey,
        enabled: input.enabled ? 1 : 0,
        creation_time: nowIso(),
      };
      await db.insertInto('webhooks').values(row).execute();
      return toWebhook(row);
    },
    get,
    async getForDelivery(id) {
      const row = await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toWebhook(row);
    },
    async list(companyId, datasetId) {
      const rows = await db
        .selectFrom('webhooks')
        .selectAll()
        .where('company_id', '=', companyId)
        .where('dataset_id', '=', datasetId)
        .orderBy('creation_time')
        .orderBy('id')
        .execute();
      return rows.map(toWebhook);
    },
    async update(companyId, datasetId, id, patch) {
      const values: Partial<WebhooksTable> = {};
      if (patch.url !== undefined) values.url = patch.url;
      if (patch.method !== undefined) values.method = patch.method;
      if (patch.authorization !== undefined) values.authorization = patch.authorization;
      if (patch.authorizationKey !== undefined) values.authorization_key = patch.authorizationKey;
      if (patch.authorizationValue !== undefined) values.authorization_value = patch.authorizationValue;
      if (patch.enabled !== undefined) values.enabled = patch.enabled ? 1 : 0;
      if (Object.keys(values).length > 0) {
        await db
          .updateTable('webhooks')
          .set(values)
          .where('company_id', '=', companyId)
          .where('dataset_id', '=', datasetId)
          .where('id', '=', id)
          .execute();
      }
      return get(companyId, datasetId, id);
    },
    async delete(companyId, datasetId, id) {
      return db.transaction().execute(async (trx) => {
        const r = await trx
          .deleteFrom('webhooks')
          .where('company_id', '=', companyId)
          .where('dataset_id', '=', datasetId)
          .where('id', '=', id)
          .executeTakeFirst();
        if (Number(r.numDeletedRows) === 0) return false;
        await trx.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
        return true;
      });
    },
    async createDeliveries(deliveries) {
      if (deliveries.length === 0) return;
      const t = nowIso();
      await db
        .insertInto('webhook_deliveries')
        .values(
          deliveries.map((d) => ({
            id: d.id,
            company_id: d.companyId,
            webhook_id: d.webhookId,
            dataset_id: d.datasetId,
            image_id: d.imageId,
            application_id: d.applicationId,
            status: 'pending',
            attempts: 0,
            last_status_code: null,
            last_error: null,
            job_id: null,
            creation_time: t,
            updated_at: t,
            delivered_at: null,
          })),
        )
        .onConflict((oc) => oc.columns(['webhook_id', 'image_id', 'application_id']).doNothing())
        .execute();
    },
    async deliveriesOfImage(imageId) {
      const rows = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('image_id', '=', imageId)
        .orderBy('creation_time')
        .orderBy('id')
        .execute();
      return rows.map(toDelivery);
    },
    async getDelivery(id) {
      const row = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toDelivery(row);
    },
    async setDeliveryJob(id, jobId) {
      await db.updateTable('webhook_deliveries').set({ job_id: jobId }).where('id', '=', id).execute();
    },
    async recordAttempt(id, o) {
      await db
        .updateTable('webhook_deliveries')
        .set({
          status: o.status,
          attempts: o.attempts,
          last_status_code: o.lastStatusCode,
          last_error: o.lastError === null ? null : o.lastError.slice(0, 2000),
          delivered_at: o.deliveredAt,
          updated_at: nowIso(),
        })
        .where('id', '=', id)
        .execute();
    },
    async listDeliveries(companyId, webhookId, { page, pageSize }) {
      const base = db
        .selectFrom('webhook_deliveries')
        .where('company_id', '=', companyId)
        .where('webhook_id', '=', webhookId);
      const { count } = await base
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      const rows = await base
        .selectAll()
        .orderBy('creation_time', 'desc')
        .orderBy('id')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute();
      return { count: Number(count), results: rows.map(toDelivery) };
    },
  };
}
