import type { EntityManager } from 'typeorm';

/** A parameterised SQL predicate, its parameters numbered after those of the query it joins. */
export interface SqlPredicate {
  sql: string;
  parameters: unknown[];
}

export interface PageQuery {
  /** `columns FROM table alias` */
  select: string;
  /** `table alias`, for the count */
  from: string;
  /** What every row of the page belongs to (a tenant), with its parameters from $1. */
  scope: SqlPredicate;
  /** The caller's narrowing (a SCIM filter), or none. */
  where: SqlPredicate | null;
  /** A stable order: ends with a unique column, so pages neither repeat nor skip rows. */
  orderBy: string;
}

/** One page of rows and how many match in all; the page is not read when it would be past the end. */
export async function readPage<Row>(manager: EntityManager, query: PageQuery, offset: number, limit: number): Promise<{ items: Row[]; total: number }> {
  const condition = query.where ? `${query.scope.sql} AND (${query.where.sql})` : query.scope.sql;
  const parameters = [...query.scope.parameters, ...(query.where?.parameters ?? [])];
  const [{ total }]: { total: number }[] = await manager.query(`SELECT count(*)::int AS total FROM ${query.from} WHERE ${condition}`, parameters);
  if (limit === 0 || total <= offset) return { items: [], total };
  const items: Row[] = await manager.query(
    `SELECT ${query.select} WHERE ${condition} ORDER BY ${query.orderBy} OFFSET $${parameters.length + 1} LIMIT $${parameters.length + 2}`,
    [...parameters, offset, limit],
  );
  return { items, total };
}
