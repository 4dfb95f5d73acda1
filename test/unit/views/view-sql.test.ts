import {
  coldSelectSql, createViewSql, fileSelectSql, groupedHotSelectSql, hotSelectSql, typedEmptySql, unionSql,
} from '../../../src/views/view-sql';
import { pivotFacetsSql } from '../../../src/views/pivot-facets';

const NO_FACETS = { systemColumns: true, facets: [] };
const file = { path: "/d/it's.parquet", artifactId: 'a1', runId: 'r1', year: 2020, iteration: null, scenarioId: 'sc' };

describe('view SQL', () => {
  it('reads cold files in one call joined to their metadata on filename', () => {
    expect(coldSelectSql([file, { ...file, path: '/d/b.parquet', artifactId: 'a2' }], 'parquet', NO_FACETS)).toBe(
      'SELECT data.* EXCLUDE (filename), CAST(m.run_id AS VARCHAR) AS consist_run_id, CAST(m.artifact_id AS VARCHAR) AS consist_artifact_id, ' +
      'CAST(m.year AS INTEGER) AS consist_year, CAST(m.iteration AS INTEGER) AS consist_iteration, CAST(m.scenario_id AS VARCHAR) AS consist_scenario_id ' +
      "FROM read_parquet(['/d/it''s.parquet', '/d/b.parquet'], union_by_name = true, filename = true) AS data " +
      "JOIN (VALUES ('/d/it''s.parquet', 'r1', 'a1', 2020, NULL, 'sc'), ('/d/b.parquet', 'r1', 'a2', 2020, NULL, 'sc')) " +
      'AS m(fpath, run_id, artifact_id, year, iteration, scenario_id) ON data.filename = m.fpath');
  });

  it('adds typed facet columns and can leave out system columns', () => {
    const sql = coldSelectSql([{ ...file, facets: ['2018'] }], 'csv', {
      systemColumns: false, facets: [{ key: 'year', column: 'facet_year', duckType: 'BIGINT' }] });
    expect(sql).toBe("SELECT data.* EXCLUDE (filename), CAST(m.f0 AS BIGINT) AS \"facet_year\" FROM read_csv_auto(['/d/it''s.parquet'], " +
      "union_by_name = true, filename = true) AS data JOIN (VALUES ('/d/it''s.parquet', 'r1', 'a1', 2020, NULL, 'sc', '2018')) " +
      'AS m(fpath, run_id, artifact_id, year, iteration, scenario_id, f0) ON data.filename = m.fpath');
  });

  it('gives the rows of one file its provenance and facets as typed constants, with no join', () => {
    expect(fileSelectSql("read_parquet('/d/x.parquet')", { ...file, facets: [null, "o'k"] }, { systemColumns: true, facets: [
      { key: 'zones', column: 'facet_zones', duckType: 'BIGINT' }, { key: 'mode', column: 'facet_mode', duckType: 'VARCHAR' }] },
    ['data.origin'])).toBe(
      "SELECT data.origin, CAST('r1' AS VARCHAR) AS consist_run_id, CAST('a1' AS VARCHAR) AS consist_artifact_id, " +
      'CAST(2020 AS INTEGER) AS consist_year, CAST(NULL AS INTEGER) AS consist_iteration, ' +
      "CAST('sc' AS VARCHAR) AS consist_scenario_id, CAST(NULL AS BIGINT) AS \"facet_zones\", CAST('o''k' AS VARCHAR) AS \"facet_mode\" " +
      "FROM read_parquet('/d/x.parquet') AS data");
  });

  it('quotes hot tables and view names', () => {
    expect(hotSelectSql('per"son')).toBe('SELECT t.*, CAST(r.parent_run_id AS VARCHAR) AS consist_scenario_id FROM "hot"."per""son" AS t ' +
      'LEFT JOIN run AS r ON t.consist_run_id = r.id');
    expect(createViewSql('v"; DROP TABLE run; --', 'SELECT 1')).toBe('CREATE OR REPLACE VIEW "v""; DROP TABLE run; --" AS\nSELECT 1');
    expect(unionSql(['SELECT 1 AS a', 'SELECT 2 AS b'])).toBe('SELECT 1 AS a\nUNION ALL BY NAME\nSELECT 2 AS b');
  });

  it('matches hot rows of grouped views by artifact id, replacing stored system columns', () => {
    expect(groupedHotSelectSql('t', [file], NO_FACETS)).toBe(
      'SELECT t.* EXCLUDE (consist_run_id, consist_artifact_id, consist_year, consist_iteration), ' +
      'CAST(m.run_id AS VARCHAR) AS consist_run_id, CAST(m.artifact_id AS VARCHAR) AS consist_artifact_id, CAST(m.year AS INTEGER) AS consist_year, ' +
      'CAST(m.iteration AS INTEGER) AS consist_iteration, CAST(m.scenario_id AS VARCHAR) AS consist_scenario_id ' +
      `FROM "hot"."t" AS t JOIN (VALUES ('a1', 'r1', 'a1', 2020, NULL, 'sc')) AS m(match_id, run_id, artifact_id, year, iteration, scenario_id) ` +
      'ON t.consist_artifact_id = m.match_id');
  });

  it('builds a typed empty relation with original column names, refusing non-type text', () => {
    expect(typedEmptySql([{ name: 'Mass(kg)', type: 'double' }, { name: 'x', type: 'INT); DROP TABLE run; --' }, { name: 'consist_year', type: 'INTEGER' }],
      { systemColumns: false, facets: [] }))
      .toBe('SELECT CAST(NULL AS DOUBLE) AS "Mass(kg)", CAST(NULL AS VARCHAR) AS "x" WHERE 1 = 0');
    expect(typedEmptySql([], { systemColumns: false, facets: [] })).toBe('SELECT 1 AS _empty_marker WHERE 1 = 0');
  });

  it('pivots facets with MAX(CASE …) per key', () => {
    expect(pivotFacetsSql({ namespace: "o'k", keys: ['a.b', 'c'] }, { 'a.b': 'value_num', c: 'value_json' })).toBe(
      `SELECT run_id, MAX(CASE WHEN key = 'a.b' THEN value_num END) AS "a.b", MAX(CASE WHEN key = 'c' THEN CAST(value_json AS VARCHAR) END) AS "c" ` +
      `FROM run_config_kv WHERE key IN ('a.b', 'c') AND namespace = 'o''k' GROUP BY run_id ORDER BY run_id`);
    expect(() => pivotFacetsSql({ keys: ['a'] }, { a: 'value_x' as never })).toThrow(expect.objectContaining({ code: 'VIEW_SELECTION_INVALID' }));
  });
});
