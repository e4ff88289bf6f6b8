import { Injectable } from '@nestjs/common';
import { Database } from '../database/database.service';

/** What expires, and when a row of it may go. */
const EXPIRED_ROWS = {
  authn_requests: 'expires_at < now()',
  logout_requests: 'expires_at < now()',
  used_assertions: 'expires_at < now()',
  sessions: 'expires_at < now()',
  rate_limit_counters: "window_start < now() - interval '2 minutes'",
} as const;

const RETAINED_ROWS = { login_attempts: 'at', sso_audit_log: 'at' } as const;

@Injectable()
export class HousekeepingRepository {
  constructor(private readonly database: Database) {}

  /**
   * Deletes up to `batchSize` rows; SKIP LOCKED lets instances that run at the same time take
   * different rows instead of waiting on each other.
   */
  deleteExpired(table: keyof typeof EXPIRED_ROWS, batchSize: number): Promise<number> {
    return this.deleteBatch(table, EXPIRED_ROWS[table], [], batchSize);
  }

  deleteOlderThan(table: keyof typeof RETAINED_ROWS, cutoff: Date, batchSize: number): Promise<number> {
    return this.deleteBatch(table, `${RETAINED_ROWS[table]} < $2`, [cutoff], batchSize);
  }

  private async deleteBatch(table: string, condition: string, parameters: unknown[], batchSize: number): Promise<number> {
    const [, deleted]: [unknown, number] = await this.database.manager.query(
      `DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE ${condition} LIMIT $1 FOR UPDATE SKIP LOCKED)`,
      [batchSize, ...parameters],
    );
    return deleted;
  }

  static readonly expiringTables = Object.keys(EXPIRED_ROWS) as (keyof typeof EXPIRED_ROWS)[];
  static readonly retainedTables = Object.keys(RETAINED_ROWS) as (keyof typeof RETAINED_ROWS)[];
}
