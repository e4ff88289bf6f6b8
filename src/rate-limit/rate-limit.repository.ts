import { Injectable } from '@nestjs/common';
import { Database } from '../database/database.service';
import { batchDelete, PurgesRows } from '../housekeeping/purges-rows.decorator';

@Injectable()
export class RateLimitRepository {
  constructor(private readonly database: Database) {}

  /** Counts one hit in the bucket's window and returns the count so far, atomically across instances. */
  async hit(bucket: string, windowStart: Date): Promise<number> {
    const rows: { hits: number }[] = await this.database.manager.query(
      `INSERT INTO rate_limit_counters (bucket, window_start, hits) VALUES ($1, $2, 1)
       ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_counters.hits + 1
       RETURNING hits`,
      [bucket, windowStart],
    );
    return rows[0].hits;
  }

  /** A window is counted for one minute; the one before it may still be read while the minute turns. */
  @PurgesRows('rate_limit_counters')
  async deleteExpired(batchSize: number): Promise<number> {
    const [, deleted]: [unknown, number] = await this.database.manager.query(
      batchDelete('rate_limit_counters', "window_start < now() - interval '2 minutes'"),
      [batchSize],
    );
    return deleted;
  }
}
