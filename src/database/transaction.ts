import type { EntityManager } from 'typeorm';

/**
 * A database transaction in progress. Services only pass it along so that work of several modules
 * commits or rolls back together; only repositories look inside.
 */
export type Transaction = EntityManager;
