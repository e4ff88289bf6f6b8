import { ComposedStatement } from './composed-statement';

describe('ComposedStatement', () => {
  const statement = new ComposedStatement<{ tenantId: string; now: Date; email: string }>(
    'test-statement',
    ['a AS (SELECT :tenantId::uuid AS id, :now::timestamptz AS at)', 'b AS (SELECT :email::text AS email, :tenantId::uuid AS tenant FROM a)'],
    'SELECT * FROM b',
  );

  it('numbers the parameters in order of first use, sending a name shared by two parts once', () => {
    expect(statement.text).toBe(
      'WITH a AS (SELECT $1::uuid AS id, $2::timestamptz AS at),\nb AS (SELECT $3::text AS email, $1::uuid AS tenant FROM a)\nSELECT * FROM b',
    );
    const now = new Date();
    expect(statement.values({ email: 'a@example.com', now, tenantId: 't' })).toEqual(['t', now, 'a@example.com']);
  });

  it('refuses to run without one of its parameters', () => {
    expect(() => statement.values({ tenantId: 't', now: new Date() } as never)).toThrow('needs the parameter "email"');
  });
});
