import { runAnalyze } from './analyze.command.ts';

const USAGE = `Usage: skinscope <command> [options]

Commands:
  analyze [--json] [--algorithms a,b] [--out DIR] <image>...   analyse photos and print the results
  serve                                                          start the API server (role from --role or SKINSCOPE_ROLE)
  admin create-company --name NAME [--json]                      create a company
  admin create-user --company ID --username EMAIL --password P   create a user
`;

/** Dispatches a `skinscope` command line; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'analyze':
      return runAnalyze(rest);
    case 'serve': {
      const { runServe } = await import('./serve.command.ts');
      return runServe(rest);
    }
    case 'admin': {
      const { runAdmin } = await import('./admin.command.ts');
      return runAdmin(rest);
    }
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command ? 0 : 1;
    default:
      process.stderr.write(`skinscope: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}
