import { Injectable } from '@nestjs/common';
import { Database } from '../database/database.service';

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
}
