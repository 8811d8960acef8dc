import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { algorithmId, FACE_SKIN_METRICS_2 } from '../catalog/catalog.ts';
import type { AlgorithmResultRecord } from '../ports/store.ts';
import { FACE_PHOTO, type TestAccount, type TestApp } from './test-app.ts';

/** Ids of an image made by `seedImage`, and the URL prefix of its resource path. */
export interface SeededImage {
  companyId: string;
  datasetId: string;
  subjectId: string;
  batchId: string;
  imageId: string;
  auxId: string;
  /** `/api/v1/companies/{c}/datasets/{d}/subjects/{s}/batches/{b}/images/{i}` */
  url: string;
}

/** A result payload with one `face` area whose main metric is `value` (what the engine writes). */
export function metricResult(techName: string, value: number | string) {
  return {
    area_results: [
      {
        area_name: 'face',
        main_metric: {
          value,
          widget_type: 'bad_good_line',
          name: techName,
          tech_name: `${techName}_score`,
          widget_meta: null,
        },
        sub_metrics: [],
      },
    ],
    masks_original: { mask_type: 'none', features: [] },
    masks_restored: { mask_type: 'none', features: [] },
  };
}

/**
 * Uploads the test face over HTTP into a dataset (created unless given, with the application attached),
 * subject and batch, then records results and a restored-face aux image as the processor would (the engine
 * is not what such tests check). `scores` maps algorithm tech names to main metric values.
 */
export async function seedImage(
  t: TestApp,
  account: TestAccount,
  token: string,
  options: {
    datasetId?: string;
    subjectId?: string;
    batchId?: string;
    scores?: Record<string, number | string>;
    creationTime?: string;
  } = {},
): Promise<SeededImage> {
  const headers = { authorization: `Bearer ${token}` };
  const c = `/api/v1/companies/${account.companyId}`;
  const post = async (url: string, payload?: object) => {
    const r = await t.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
    if (r.statusCode >= 300) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
    return r.json() as { id: string };
  };
  const datasetId = options.datasetId ?? (await post(`${c}/datasets/`, { name: 'seeded' })).id;
  if (!options.datasetId)
    await post(`${c}/applications/${FACE_SKIN_METRICS_2.id}/runs/`, { dataset_id: datasetId });
  const subjectId =
    options.subjectId ?? (await post(`${c}/datasets/${datasetId}/subjects/`, { name: 'person' })).id;
  const subjectUrl = `${c}/datasets/${datasetId}/subjects/${subjectId}`;
  const batchId = options.batchId ?? (await post(`${subjectUrl}/batches/`)).id;
  const batchUrl = `${subjectUrl}/batches/${batchId}`;
  const imageId = (
    await post(`${batchUrl}/images/`, { b64data: readFileSync(FACE_PHOTO).toString('base64') })
  ).id;
  const auxId = randomUUID();
  const auxKey = `aux/${account.companyId}/${auxId}.jpg`;
  await t.data.blobs.put(auxKey, readFileSync(FACE_PHOTO), 'image/jpeg');
  const now = new Date().toISOString();
  const scores = options.scores ?? { face_detector: 100, redness: 64 };
  const results: AlgorithmResultRecord[] = Object.entries(scores).map(([name, value]) => ({
    id: randomUUID(),
    companyId: account.companyId,
    imageId,
    applicationRunId: '',
    applicationId: FACE_SKIN_METRICS_2.id,
    algorithmVersionId: algorithmId(name),
    algorithmFamilyTechName: `selfie_v2.${name}`,
    algorithmTechName: name,
    isOk: true,
    result: metricResult(name, value),
    creationTime: now,
  }));
  await t.data.store.images.saveAnalysis({
    imageId,
    status: 'done',
    error: null,
    results,
    auxImages: [
      {
        id: auxId,
        companyId: account.companyId,
        imageId,
        auxImageType: 'selfie_front_face_restored',
        blobKey: auxKey,
        width: 10,
        height: 10,
        creationTime: now,
      },
    ],
  });
  if (options.creationTime) {
    await t.data.db
      .updateTable('images')
      .set({ creation_time: options.creationTime })
      .where('id', '=', imageId)
      .execute();
  }
  return {
    companyId: account.companyId,
    datasetId,
    subjectId,
    batchId,
    imageId,
    auxId,
    url: `${batchUrl}/images/${imageId}`,
  };
}

/** Every file under a folder, as paths relative to it. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string) => {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = `${dir}/${name}`;
      if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`);
      else out.push(`${prefix}${name}`);
    }
  };
  walk(root, '');
  return out;
}

/** Every row of every table of the test database, as JSON text (to search for ids that must be gone). */
export async function dumpDatabase(t: TestApp): Promise<string> {
  const tables = await t.data.db.introspection.getTables();
  const parts: string[] = [];
  for (const table of tables) {
    const rows = await t.data.db
      .selectFrom(table.name as 'images')
      .selectAll()
      .execute();
    parts.push(`${table.name}: ${JSON.stringify(rows)}`);
  }
  return parts.join('\n');
}
