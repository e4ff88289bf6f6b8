import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { EMBEDDED_POOL } from './embedded-postgres';
import type { EntityClass } from './entity-registry';

export interface DataSourceOptions {
  url: string;
  /** Connections to PostgreSQL; the embedded database always gets one (EMBEDDED_POOL). */
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
      connectionTimeoutMillis: 3000,
      ...(embedded
        ? EMBEDDED_POOL
        : // Bounded waits: a stalled database fails the request instead of hanging it.
          { max: poolSize, statement_timeout: 5000, query_timeout: 6000, idle_in_transaction_session_timeout: 10000 }),
    },
  });
}
