import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import type { EntityClass } from './entity-registry';

export interface DataSourceOptions {
  url: string;
  poolSize: number;
  embedded: boolean;
  entities: EntityClass[];
}

export function createDataSource({ url, poolSize, embedded, entities }: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    logging: false,
    extra: {
      // PGlite is single-session: a second connection would interleave transactions.
      max: embedded ? 1 : poolSize,
      connectionTimeoutMillis: 3000,
      // Bounded waits: a stalled database fails the request instead of hanging it.
      ...(embedded ? {} : { statement_timeout: 5000, query_timeout: 6000, idle_in_transaction_session_timeout: 10000 }),
    },
  });
}
