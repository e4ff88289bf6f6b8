import type { EntityManager } from 'typeorm';

/** A parameterised SQL predicate, its parameters numbered after those of the query it joins. */
export interface SqlPredicate {
  sql: string;
  parameters: unknown[];
}

export interface PageQuery {
  /** The page's columns, over `from`'s alias. */
  columns: string;
  /** `table alias` */
  from: string;
  /** What every row of the page belongs to (a tenant), with its parameters from $1. */
  scope: SqlPredicate;
  /** The caller's narrowing (a SCIM filter), or none. */
  where: SqlPredicate | null;
  /** A stable order: ends with a unique column, so pages neither repeat nor skip rows. */
  orderBy: string;
}

/**
 * One page of rows and how many match in all, in one query (the count as a window over the matching
 * rows); a second query counts only when the page is empty past the first row, where no row carries it.
 */
export async function readPage<Row>(manager: EntityManager, query: PageQuery, offset: number, limit: number): Promise<{ items: Row[]; total: number }> {
  const condition = query.where ? `${query.scope.sql} AND (${query.where.sql})` : query.scope.sql;
  const parameters = [...query.scope.parameters, ...(query.where?.parameters ?? [])];
  const count = async () => {
    const [{ total }]: { total: number }[] = await manager.query(`SELECT count(*)::int AS total FROM ${query.from} WHERE ${condition}`, parameters);
    return total;
  };
  if (limit === 0) return { items: [], total: await count() };
  const rows: (Row & { [TOTAL]: number })[] = await manager.query(
    `SELECT ${query.columns}, count(*) OVER ()::int AS "${TOTAL}" FROM ${query.from} WHERE ${condition}
     ORDER BY ${query.orderBy} OFFSET $${parameters.length + 1} LIMIT $${parameters.length + 2}`,
    [...parameters, offset, limit],
  );
  if (rows.length === 0) return { items: [], total: offset === 0 ? 0 : await count() };
  const total = rows[0][TOTAL];
  return { items: rows.map(({ [TOTAL]: _total, ...row }) => row as unknown as Row), total };
}

const TOTAL = '__total';
