import { isReadOnlySql } from '../../../src/views/read-only-sql';

describe('isReadOnlySql (may a query skip the next freshness check?)', () => {
  it.each([
    'SELECT 1',
    '  select count(*) from v_trips where mode = \'update\'',
    'WITH t AS (SELECT * FROM v_trips) SELECT avg(dist) FROM t;',
    'FROM v_skims SELECT origin, "delete" WHERE origin < destination',
    'SELECT update_time, created_at FROM artifact -- DELETE FROM artifact\n',
    'VALUES (1), (2)',
  ])('read-only: %s', (sql) => expect(isReadOnlySql(sql)).toBe(true));

  it.each([
    'DELETE FROM artifact',
    'WITH gone AS (SELECT id FROM artifact) DELETE FROM artifact WHERE id IN (SELECT id FROM gone)',
    'SELECT 1; DELETE FROM artifact',
    'SELECT 1; SELECT 2',
    'CREATE VIEW x AS SELECT 1',
    'EXPLAIN ANALYZE DELETE FROM artifact',
    'INSERT INTO t SELECT 1',
    'COPY (SELECT 1) TO \'x.csv\'',
    "SELECT E'a\\'b'; DELETE FROM artifact; --'",
    'PRAGMA database_size',
    'SET threads = 1',
    '/* SELECT */ UPDATE artifact SET key = key',
    '',
    '   ;  ',
  ])('not certainly read-only: %s', (sql) => expect(isReadOnlySql(sql)).toBe(false));
});
