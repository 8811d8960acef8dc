import type { Kysely } from 'kysely';
import type { Store } from '../ports/store.ts';
import { accountsQueries } from './accounts.queries.ts';
import { apiKeysQueries } from './api-keys.queries.ts';
import { datasetsQueries } from './datasets.queries.ts';
import type { Database } from './db-schema.ts';
import { deletionQueries } from './deletion.queries.ts';
import { historyQueries } from './history.queries.ts';
import { imagesQueries } from './images.queries.ts';
import { maskRendersQueries } from './mask-renders.queries.ts';
import { sessionsQueries } from './sessions.queries.ts';
import { subjectsQueries } from './subjects.queries.ts';
import { webhooksQueries } from './webhooks.queries.ts';

/** A Store over Kysely (the one query layer every SQL adapter shares). */
export function kyselyStore(db: Kysely<Database>): Store {
  return {
    accounts: accountsQueries(db),
    sessions: sessionsQueries(db),
    apiKeys: apiKeysQueries(db),
    maskRenders: maskRendersQueries(db),
    datasets: datasetsQueries(db),
    subjects: subjectsQueries(db),
    images: imagesQueries(db),
    deletion: deletionQueries(db),
    history: historyQueries(db),
    webhooks: webhooksQueries(db),
    close: () => db.destroy(),
  };
}
