import { UriResolver } from '../../../src/artifacts/uri';

describe('UriResolver', () => {
  const r = new UriResolver('/work/runs', { inputs: '/mnt/data', deep: '/mnt/data/deep' });

  it('virtualizes paths: run folders, longest mount prefix, absolute otherwise', () => {
    expect(r.toUri('/work/runs/run_1/out.parquet')).toBe('run://run_1/out.parquet');
    expect(r.toUri('/mnt/data/x.csv')).toBe('inputs://x.csv');
    expect(r.toUri('/mnt/data/deep/y.csv')).toBe('deep://y.csv');
    expect(r.toUri('/elsewhere/z.csv')).toBe('/elsewhere/z.csv');
  });

  it('resolves URIs back through the current mounts', () => {
    expect(r.toPath('inputs://sub/x.csv')).toBe('/mnt/data/sub/x.csv');
    expect(r.toPath('run://run_1/out.parquet')).toBe('/work/runs/run_1/out.parquet');
    expect(new UriResolver('/moved/runs', { inputs: '/new/data' }).toPath('inputs://x.csv')).toBe('/new/data/x.csv');
  });

  it.each([
    ['inputs://../../etc/passwd'],
    ['run://../outside'],
    ['nomount://x.csv'],
    ['inputs://x\u0000.csv'],
  ])('rejects %j with ARTIFACT_URI_INVALID', (uri) => {
    expect(() => r.toPath(uri)).toThrow(expect.objectContaining({ code: 'ARTIFACT_URI_INVALID' }));
  });

  it('rejects reserved or malformed mount names', () => {
    expect(() => new UriResolver('/r', { run: '/x' })).toThrow(expect.objectContaining({ code: 'ARTIFACT_URI_INVALID' }));
    expect(() => new UriResolver('/r', { '1bad': '/x' })).toThrow(expect.objectContaining({ code: 'ARTIFACT_URI_INVALID' }));
  });
});
