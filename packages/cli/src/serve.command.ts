import { parseArgs } from 'node:util';
import { main } from '@skinscope/server';

const USAGE = `Usage: skinscope serve [--role all|api|worker] [--port N] [--host H] [--data-dir DIR] [--workers N]

Options override the environment variables ROLE=SKINSCOPE_ROLE, PORT, HOST, SKINSCOPE_DATA_DIR, SKINSCOPE_WORKERS.
`;

/** `skinscope serve`: starts the API server until SIGINT/SIGTERM; resolves to the exit code. */
export async function runServe(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        role: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        workers: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`skinscope serve: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const env: Record<string, string | undefined> = { ...process.env };
  const set = (name: string, value: string | boolean | undefined) => {
    if (typeof value === 'string') env[name] = value;
  };
  set('SKINSCOPE_ROLE', values.role);
  set('PORT', values.port);
  set('HOST', values.host);
  set('SKINSCOPE_DATA_DIR', values['data-dir']);
  set('SKINSCOPE_WORKERS', values.workers);
  return main(env);
}
