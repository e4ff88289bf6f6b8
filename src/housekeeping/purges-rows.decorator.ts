import { DiscoveryService } from '@nestjs/core';

/**
 * Marks a repository method that deletes its module's rows that may go: up to `batchSize` of them
 * that have expired, or (for records kept for a time) that are older than `retainedSince`,
 * returning how many it deleted. Housekeeping finds every such method and decides when they run
 * and how often; the module that owns the table decides which rows go. The option names the table
 * in housekeeping's report.
 */
export const PurgesRows = DiscoveryService.createDecorator<string>();

export type PurgeBatch = (batchSize: number, retainedSince: Date) => Promise<number>;

/**
 * A bounded delete of `table`'s rows matching `condition`, `$1` being the batch size; SKIP LOCKED
 * lets instances that run at the same time take different rows instead of waiting on each other.
 */
export function batchDelete(table: string, condition: string): string {
  return `DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE ${condition} LIMIT $1 FOR UPDATE SKIP LOCKED)`;
}
