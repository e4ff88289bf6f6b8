import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Pool, QueryResultRow } from 'pg';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DatabaseUnavailableError, isDatabaseUnavailable } from './database-unavailable.error';
import { EmbeddedPostgres } from './embedded-postgres';
import { createDataSource } from './data-source';
import { EntityRegistry } from './entity-registry';

const RETRY_DELAY_MS = 1000;

/**
 * Owns the connection pool. The HTTP server starts before the database answers: until it does
 * (and while it is lost), every query fails fast with DatabaseUnavailableError.
 */
@Injectable()
export class Database implements OnApplicationShutdown {
  private readonly logger = new Logger(Database.name);
  private dataSource: DataSource | null = null;
  private embedded: EmbeddedPostgres | null = null;
  private ready: Promise<void> | null = null;
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly entities: EntityRegistry,
  ) {}

  /** Connects (retrying until it succeeds or the app stops) and runs pending migrations. */
  start(): Promise<void> {
    this.ready ??= this.connectWithRetry();
    return this.ready;
  }

  private async connectWithRetry(): Promise<void> {
    let url = this.config.databaseUrl;
    if (!url) {
      this.embedded = await EmbeddedPostgres.start(this.config.dataDir);
      url = this.embedded.url;
    }
    const embedded = this.embedded !== null;
    for (let attempt = 1; !this.stopping; attempt++) {
      const dataSource = createDataSource({
        url,
        poolSize: this.config.databasePoolSize,
        embedded,
        entities: this.entities.all,
      });
      try {
        await dataSource.initialize();
        await runMigrationsExclusively(dataSource, embedded);
        this.dataSource = dataSource;
        this.logger.log({ msg: 'database ready', embedded, attempt });
        return;
      } catch (error) {
        if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
        if (!isDatabaseUnavailable(error)) throw error;
        if (attempt === 1 || attempt % 30 === 0) {
          this.logger.warn({ msg: 'database not reachable yet, retrying', attempt, error: (error as Error).message });
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
      }
    }
  }

  get isReady(): boolean {
    return this.dataSource?.isInitialized === true;
  }

  get manager(): EntityManager {
    if (!this.dataSource?.isInitialized) throw new DatabaseUnavailableError();
    return this.dataSource.manager;
  }

  repository<Entity extends ObjectLiteral>(target: EntityTarget<Entity>): Repository<Entity> {
    return this.manager.getRepository(target);
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.manager.transaction(work);
  }

  /**
   * Runs `work` only if no other instance holds the named lock (a PostgreSQL advisory lock held on
   * its own connection); false when another instance is at it. On the embedded database it simply
   * runs: only this process reaches it, through one session, whose advisory locks could exclude
   * nothing (a session re-enters its own locks), and a connection held for the lock would be the
   * pool's only one, which `work` needs.
   */
  async exclusively(lockName: string, work: () => Promise<void>): Promise<boolean> {
    if (this.embedded) {
      await work();
      return true;
    }
    if (!this.dataSource?.isInitialized) throw new DatabaseUnavailableError();
    const lock = this.dataSource.createQueryRunner();
    await lock.connect();
    try {
      const [{ locked }] = await lock.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [lockName]);
      if (!locked) return false;
      try {
        await work();
      } finally {
        await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [lockName]);
      }
      return true;
    } finally {
      await lock.release();
    }
  }

  /**
   * The login path's statement: sent by name, so each connection plans it once, straight to the
   * `pg` pool without TypeORM's layers (they cost more than the statement's own client work).
   */
  async preparedQuery<Row>(name: string, text: string, values: unknown[]): Promise<Row[]> {
    if (!this.dataSource?.isInitialized) throw new DatabaseUnavailableError();
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    return (await pool.query<Row & QueryResultRow>({ name, text, values })).rows;
  }

  async ping(): Promise<boolean> {
    try {
      await this.manager.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.ready?.catch(() => undefined);
    if (this.dataSource?.isInitialized) await this.dataSource.destroy();
    await this.embedded?.stop();
  }
}

/** Instances starting together against one PostgreSQL take turns at the migrations. */
async function runMigrationsExclusively(dataSource: DataSource, embedded: boolean): Promise<void> {
  if (embedded) {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', ['sso-service:migrations']);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock(hashtext($1))', ['sso-service:migrations']).catch(() => undefined);
    await lock.release();
  }
}
