import 'reflect-metadata';
import { createApp, startDatabase } from './bootstrap';
import { ConfigError, loadConfig } from './config/app-config';

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
  await app.listen(config.port, config.host);
  process.stdout.write(`SSO service listening on ${config.publicBaseUrl} (bound to ${config.host}:${config.port})\n`);
  startDatabase(app).catch((error: unknown) => {
    process.stderr.write(`database start failed: ${(error as Error).message}\n`);
    process.exit(1);
  });
}

void main();
