/**
 * Runs s3rver (an S3-compatible server on the local disk) for tests and the load script:
 * `S3_PORT`, `S3_DIR` (its folder) and `S3_BUCKET` (created at start). Stops on SIGTERM/SIGINT.
 */
import S3rver from 's3rver';

const port = Number(process.env.S3_PORT ?? 4568);
const server = new S3rver({
  port,
  address: '127.0.0.1',
  silent: true,
  directory: process.env.S3_DIR ?? '/tmp/s3rver',
  configureBuckets: [{ name: process.env.S3_BUCKET ?? 'skinscope', configs: [] }],
});
await server.run();
process.stdout.write(`s3rver listening on 127.0.0.1:${port}\n`);
const stop = () => server.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
