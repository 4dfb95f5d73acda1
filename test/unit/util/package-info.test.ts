import { packageInfo, repositoryUrlOf } from '../../../src/util/package-info';
import { producerUri, schemaBase } from '../../../src/recording/openlineage-events';

describe('package info (the OpenLineage producer URI)', () => {
  it.each([
    ['github:o/n', 'https://github.com/o/n'],
    ['o/n', 'https://github.com/o/n'],
    ['git+https://github.com/o/n.git', 'https://github.com/o/n'],
    [{ type: 'git', url: 'https://gitlab.com/g/sub/n.git' }, 'https://gitlab.com/g/sub/n'],
    ['git://github.com/o/n.git', 'https://github.com/o/n'],
  ])('normalises repository %p', (repo, url) => expect(repositoryUrlOf(repo)).toBe(url));

  it('gives undefined for a missing or unusable repository', () => {
    for (const r of [undefined, '', 42, { type: 'git' }, 'not a url at all']) expect(repositoryUrlOf(r)).toBeUndefined();
  });

  it('names the repository at the version tag, or the npm page of the version without one', () => {
    const info = packageInfo();
    expect(info.name).toBe('consist-ts');
    expect(info.repositoryUrl).toMatch(/^https:\/\/github\.com\//);
    expect(producerUri(info)).toBe(`${info.repositoryUrl}/tree/v${info.version}`);
    expect(producerUri({ name: 'consist-ts', version: '1.2.3', repositoryUrl: undefined })).toBe('https://www.npmjs.com/package/consist-ts/v/1.2.3');
    expect(schemaBase({ name: 'consist-ts', version: '1.2.3', repositoryUrl: undefined })).toBe('https://unpkg.com/consist-ts@1.2.3/docs/schemas');
  });
});
