import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { ClientBase, PoolConfig } from 'pg';

/**
 * What a `pg` pool on the embedded database must do. PGlite is a single session, and the socket
 * server hands that same session to every connection: whatever a connection leaves behind
 * (prepared statements, settings, an open or aborted transaction, advisory locks, temporary
 * tables) is there for the next one, while the new `pg` client believes it starts afresh (it
 * prepares its named statements again, and they already exist). So the pool keeps its one
 * connection rather than closing it when idle, and when it must open another (the first, or after
 * an error or a lost connection) it resets the session before handing the connection out.
 */
export const EMBEDDED_POOL: Pick<PoolConfig, 'max' | 'idleTimeoutMillis' | 'onConnect'> = {
  // A second connection would interleave its statements with the first's in the one session.
  max: 1,
  // 0 turns pg-pool's idle timer off.
  idleTimeoutMillis: 0,
  onConnect: startFreshSession,
};

/**
 * Resets the session to what a new PostgreSQL connection gets. DISCARD ALL drops prepared
 * statements, settings, advisory locks, temporary tables, cursors and LISTENs, but refuses to run
 * inside a transaction block, so an open or aborted transaction is rolled back first (outside one,
 * ROLLBACK only warns).
 */
async function startFreshSession(client: ClientBase): Promise<void> {
  await client.query('ROLLBACK');
  await client.query('DISCARD ALL');
}

/**
 * The zero-setup database: PGlite persisted under DATA_DIR, served on a loopback port so the
 * service reaches it through the same `pg` driver and code path as a real PostgreSQL.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
  ) {}

  static async start(dataDir: string): Promise<EmbeddedPostgres> {
    const directory = join(dataDir, 'pgdata');
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const db = await PGlite.create({ dataDir: directory });
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
    await server.start();
    const url = `postgres://postgres@${server.getServerConn()}/postgres`;
    return new EmbeddedPostgres(db, server, url);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}
