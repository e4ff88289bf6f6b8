import 'reflect-metadata';
import { createApp, startDatabase } from './bootstrap';
import { ConfigError, loadConfig } from './config/app-config';

/** In-flight requests get this long to finish after SIGTERM before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp(config);
  // Listening before the database answers: /health and the 503s of the contract need it.
  await app.listen(config.port, config.host);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: finishing requests in flight, then stopping\n`);
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    // close() stops accepting, waits for requests in flight, then closes the pool.
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  // The line a newcomer waits for: printed once /health/ready answers 200 (database up, migrations run).
  startDatabase(app).then(
    () => {
      // A SIGTERM while connecting ends the retries without a database.
      if (stopping) return;
      process.stdout.write(
        `SSO service listening on ${config.publicBaseUrl} (bound to ${config.host}:${config.port}), ` +
          `ready in ${process.uptime().toFixed(1)} s\n`,
      );
    },
    (error: unknown) => {
      process.stderr.write(`database start failed: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}

void main();
