import { loadConfig } from '../config/app-config';
import { Database } from './database.service';
import { EntityRegistry } from './entity-registry';

/** `npm run migration:run`: applies pending migrations and exits. They are plain SQL, so no entity is mapped. */
async function main(): Promise<void> {
  const database = new Database(loadConfig(), new EntityRegistry());
  await database.start();
  await database.onApplicationShutdown();
  process.stdout.write('migrations applied\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`migration failed: ${(error as Error).message}\n`);
  process.exit(1);
});
