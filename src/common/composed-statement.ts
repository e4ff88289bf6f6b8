/**
 * One SQL statement built from common table expressions that different modules own: each module
 * writes the CTE for its own table (its rules, its columns), and the statement stays a single
 * prepared statement, one round trip.
 *
 * Parts name their parameters `:name` (a `::type` cast is left alone); the statement numbers them
 * `$1…` in order of first use, so a name shared by several parts (the tenant, the time) is sent once.
 * The parameter names are the keys of `Parameters`; `values` fails loudly on one that is missing,
 * which the first test of the statement catches.
 */
export class ComposedStatement<Parameters extends object> {
  readonly text: string;
  private readonly order: (keyof Parameters & string)[] = [];

  /**
   * @param name the prepared statement's name, stable across releases
   * @param ctes `name AS (…)` parts, in an order where each part refers only to those before it
   * @param select the statement's final SELECT over the parts
   */
  constructor(
    readonly name: string,
    ctes: readonly string[],
    select: string,
  ) {
    const sql = `WITH ${ctes.join(',\n')}\n${select}`;
    this.text = sql.replace(/(?<!:):([A-Za-z]\w*)/g, (_match, parameter: keyof Parameters & string) => {
      let index = this.order.indexOf(parameter);
      if (index === -1) index = this.order.push(parameter) - 1;
      return `$${index + 1}`;
    });
  }

  values(parameters: Parameters): unknown[] {
    return this.order.map((name) => {
      if (!(name in parameters)) throw new Error(`Statement ${this.name} needs the parameter "${name}"`);
      return parameters[name];
    });
  }
}
