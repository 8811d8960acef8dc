import { parseArgs } from 'node:util';
import {
  AccountError,
  createCompany,
  createCompanyApiKey,
  createUser,
  openAdminStore,
} from '@skinscope/server/admin';

const USAGE = `Usage:
  skinscope admin create-company --name NAME [--json]
  skinscope admin create-user --company ID --username EMAIL --password PASS [--json]
  skinscope admin create-api-key --company ID [--name NAME] [--json]
      an AILab-compatible key (header ailabapi-api-key); printed once, only its hash is kept

Works on the data folder SKINSCOPE_DATA_DIR (default ./.skinscope/data), or on PostgreSQL when
SKINSCOPE_DATABASE_URL is set, with or without the server running.
`;

/** `skinscope admin ...`: creates companies and users; resolves to the exit code. */
export async function runAdmin(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        name: { type: 'string' },
        company: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`skinscope admin: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help || !action) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const missing = (names: string[]) => names.filter((n) => typeof values[n] !== 'string' || values[n] === '');
  const need =
    action === 'create-company'
      ? ['name']
      : action === 'create-user'
        ? ['company', 'username', 'password']
        : action === 'create-api-key'
          ? ['company']
          : null;
  if (!need) {
    process.stderr.write(`skinscope admin: unknown action "${action}"\n\n${USAGE}`);
    return 2;
  }
  const absent = missing(need);
  if (absent.length > 0) {
    process.stderr.write(
      `skinscope admin ${action}: missing ${absent.map((n) => `--${n}`).join(', ')}\n\n${USAGE}`,
    );
    return 2;
  }
  const data = await openAdminStore();
  try {
    if (action === 'create-company') {
      const company = await createCompany(data.store, String(values.name));
      const out = { id: company.id, name: company.name, creation_time: company.creationTime };
      process.stdout.write(
        values.json ? `${JSON.stringify(out)}\n` : `created company ${company.name}: ${company.id}\n`,
      );
    } else if (action === 'create-api-key') {
      const { key, record } = await createCompanyApiKey(data.store, {
        companyId: String(values.company),
        ...(typeof values.name === 'string' ? { name: values.name } : {}),
      });
      const out = { key, id: record.id, name: record.name, company_id: record.companyId };
      process.stdout.write(
        values.json ? `${JSON.stringify(out)}\n` : `created API key ${record.id}: ${key}\n`,
      );
    } else {
      const user = await createUser(data.store, {
        companyId: String(values.company),
        username: String(values.username),
        password: String(values.password),
      });
      const out = {
        id: user.id,
        username: user.username,
        company_id: user.companyId,
        creation_time: user.creationTime,
      };
      process.stdout.write(
        values.json ? `${JSON.stringify(out)}\n` : `created user ${user.username}: ${user.id}\n`,
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof AccountError) {
      process.stderr.write(`skinscope admin ${action}: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await data.close();
  }
}
