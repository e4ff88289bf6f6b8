// Jest setup file of the `embedded` project: the suites it runs use the embedded PostgreSQL even
// though the run was given a real one (test-database.ts reads this).
process.env.TEST_DATABASE = 'embedded';
