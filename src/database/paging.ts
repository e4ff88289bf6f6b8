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
  /** The alias's unique key column (`alias.id`). */
  key: string;
  /** What every row of the page belongs to (a tenant), with its parameters from $1. */
  scope: SqlPredicate;
  /** The caller's narrowing (a SCIM filter), or none. */
  where: SqlPredicate | null;
  /** A stable order: ends with a unique column, so pages neither repeat nor skip rows. */
  orderBy: string;
}

/**
 * One page of rows and how many match in all. A filtered read (a directory looks each user up by
 * userName before creating it) is one query whose matching keys are read first, by the filter's
 * own index: planned together with the page's order and limit, the filter was run over the tenant's
 * every row in creation order whenever the table's statistics were behind its growth (a
 * directory's first cycle). An unfiltered read counts, then reads only the rows up to its page.
 */
export async function readPage<Row>(manager: EntityManager, query: PageQuery, offset: number, limit: number): Promise<{ items: Row[]; total: number }> {
  const condition = query.where ? `${query.scope.sql} AND (${query.where.sql})` : query.scope.sql;
  const parameters = [...query.scope.parameters, ...(query.where?.parameters ?? [])];
  const count = async () => {
    const [{ total }]: { total: number }[] = await manager.query(`SELECT count(*)::int AS total FROM ${query.from} WHERE ${condition}`, parameters);
    return total;
  };
  const paging = `ORDER BY ${query.orderBy} OFFSET $${parameters.length + 1} LIMIT $${parameters.length + 2}`;
  if (!query.where) {
    const total = await count();
    if (limit === 0 || total <= offset) return { items: [], total };
    return { items: await manager.query(`SELECT ${query.columns} FROM ${query.from} WHERE ${condition} ${paging}`, [...parameters, offset, limit]), total };
  }
  if (limit === 0) return { items: [], total: await count() };
  const rows: (Row & { [TOTAL]: number })[] = await manager.query(
    `WITH matched AS MATERIALIZED (SELECT ${query.key} AS key FROM ${query.from} WHERE ${condition})
     SELECT ${query.columns}, (SELECT count(*) FROM matched)::int AS "${TOTAL}"
     FROM ${query.from} WHERE ${query.key} IN (SELECT key FROM matched) ${paging}`,
    [...parameters, offset, limit],
  );
  if (rows.length === 0) return { items: [], total: offset === 0 ? 0 : await count() };
  return { items: rows.map(({ [TOTAL]: _total, ...row }) => row as unknown as Row), total: rows[0][TOTAL] };
}

const TOTAL = '__total';
