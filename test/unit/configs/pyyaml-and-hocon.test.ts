import { writeFileSync } from 'node:fs';
import { HoconParser } from '../../../src/configs/hocon-parser';
import { resolveHocon } from '../../../src/configs/hocon-resolve';
import { readYamlSource } from '../../../src/configs/yaml-source';
import { tmpWorkspace } from '../../helpers/workspace';

const noIncludes = () => { throw new Error('no includes in this test'); };
const hocon = (text: string) => resolveHocon(new HoconParser(text, 'a.conf', [], noIncludes).parse());

describe('YAML read as PyYAML safe_load (YAML 1.1)', () => {
  const ws = tmpWorkspace('consist-yaml-');
  afterAll(() => ws.cleanup());

  // Expected values are what PyYAML 6 `yaml.safe_load` returns for each scalar.
  it.each([
    ['yes', true], ['No', false], ['on', true], ['OFF', false], ['y', 'y'], ['n', 'n'], ['true', true],
    ['0777', 511], ['0x1F', 31], ['0b101', 5], ['1_000', 1000], ['1:30', 90], ['09', '09'], ['+12', 12],
    ['1e3', '1e3'], ['1.0e-4', 0.0001], ['1e-4', '1e-4'], ['0.5', 0.5], ['.5', 0.5], ['~', null], ['null', null], ['', null],
    ['.inf', { $float: 'inf' }], ['-.inf', { $float: '-inf' }], ['.nan', { $float: 'nan' }],
    ['12345678901234567890', { $bigint: '12345678901234567890' }], ['"0777"', '0777'],
  ])('%s → %j', (text, expected) => {
    const file = ws.file('s.yaml', `v: ${text}\n`);
    expect((readYamlSource(file, 's.yaml').value as Record<string, unknown>).v).toEqual(expected);
  });

  it('keeps merge keys and records the line of every key and list item', () => {
    const file = ws.file('m.yaml', 'base: &b\n  x: 1\nder:\n  <<: *b\n  y:\n    - 1\n    - z: 2\n');
    const { value, lines } = readYamlSource(file, 'm.yaml');
    expect(value).toEqual({ base: { x: 1 }, der: { x: 1, y: [1, { z: 2 }] } });
    expect(Object.fromEntries(lines)).toEqual({ base: 1, 'base.x': 2, der: 3, 'der.y': 5, 'der.y[0]': 6, 'der.y[1]': 7, 'der.y[1].z': 7 });
  });

  it('refuses a duplicate key with its line', () => {
    writeFileSync(ws.path('d.yaml'), 'a:\n  b: 1\n  b: 2\n');
    expect(() => readYamlSource(ws.path('d.yaml'), 'd.yaml')).toThrow(expect.objectContaining({ code: 'CONFIG_DUPLICATE_KEY', details: expect.objectContaining({ line: 3, key: 'b' }) }));
  });
});

describe('HOCON resolution', () => {
  it('merges objects, keeps later keys, self-references and optional substitutions', () => {
    const { value, positions } = hocon([
      'a { x = 1, y = 2 }',
      'a { y = 3 }',
      'path = "/bin"',
      'path = ${path}":/usr/bin"',
      'b = ${a} { z = 4 }',
      'c = 10',
      'c = ${?NO_SUCH_ENV_FOR_CONSIST}',
      'd = 10s',
      'e = [1, 2] [3]',
      '"quoted.key" = yes',
      'f : { g : null }',
    ].join('\n'));
    expect(value).toEqual({
      a: { x: 1, y: 3 }, path: '/bin:/usr/bin', b: { x: 1, y: 3, z: 4 }, c: 10, d: '10s', e: [1, 2, 3], 'quoted.key': 'yes', f: { g: null },
    });
    expect(positions.get('a.y')).toMatchObject({ file: 'a.conf', line: 2 });
    expect(positions.get('path')).toMatchObject({ line: 4 });
  });

  it('an include inside an object looks up its substitutions under the include path first', () => {
    const included = 'port = 80\nurl = "http://h:"${port}\nhome = ${top}\n';
    const includer = (_inc: unknown, prefix: readonly string[]) => new HoconParser(included, 'inc.conf', [...prefix], noIncludes).parse();
    const fields = new HoconParser('top = "/root"\nserver { include "inc.conf"\n port = 8080 }\n', 'a.conf', [], includer).parse();
    const { value, positions } = resolveHocon(fields);
    expect(value).toEqual({ top: '/root', server: { port: 8080, url: 'http://h:8080', home: '/root' } });
    expect(positions.get('server.url')).toMatchObject({ file: 'inc.conf', line: 2 });
    expect(positions.get('server.port')).toMatchObject({ file: 'a.conf', line: 3 });
  });

  it('reports a self cycle and an object/string concatenation', () => {
    expect(() => hocon('a = ${a.b}')).toThrow(expect.objectContaining({ code: 'CONFIG_SUBSTITUTION_CYCLE' }));
    expect(() => hocon('a = { x = 1 }\nb = ${a}"str"')).toThrow(expect.objectContaining({ code: 'CONFIG_SYNTAX' }));
  });
});
