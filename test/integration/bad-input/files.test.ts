/**
 * Generated bad-input cases: missing, unreadable, special and corrupt files given to
 * `tracker.load`, `tracker.ingest`, `logArtifact` and as step inputs bound as `arrow.Table`.
 * Tests may run as root, where `chmod 000` does not block reads, so "unreadable" is a directory
 * where a file is expected, and a FIFO (which would block a naive reader forever).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import type { Table } from 'apache-arrow';
import { Input } from '../../../src/index';
import { Step } from '../../../src/index';
import type { Artifact } from '../../../src/index';
import { StepBase } from '../../../src/index';
import { closeSeeded, eachCase, openSeeded, type Case, type Seeded } from './harness';

@Step({ outputs: ['rows'], codeVersion: '1' })
class CountRows extends StepBase {
  async run(@Input('raw', { as: 'table' }) raw: Table): Promise<{ rows: Record<string, unknown>[] }> {
    return { rows: [{ n: raw.numRows }] };
  }
}

interface Ctx extends Seeded {
  files: Record<string, string>;
  /** Artifacts logged (as outputs of the `corrupt_files` run) for the corrupt files, by file name. */
  byName: Record<string, Artifact>;
}

/** name → [file name, contents] of corrupt or truncated tabular files. */
const CORRUPT: ReadonlyArray<[string, string, (valid: Buffer) => Buffer | string]> = [
  ['parquet garbage', 'garbage.parquet', () => 'PAR1 this is not parquet at all PAR1'],
  ['parquet truncated to half', 'half.parquet', (v) => v.subarray(0, Math.floor(v.length / 2))],
  ['parquet without its footer', 'nofooter.parquet', (v) => v.subarray(0, v.length - 8)],
  ['parquet of zero bytes', 'empty.parquet', () => ''],
  ['parquet that is really CSV', 'csv.parquet', () => 'id,value\n1,2\n'],
  ['CSV with Latin-1 bytes', 'latin1.csv', () => Buffer.concat([Buffer.from('id,name\n1,caf'), Buffer.from([0xe9]), Buffer.from('\n')])],
  ['CSV of binary garbage', 'binary.csv', () => Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x0a, 0x00, 0xc3, 0x28])],
  ['JSON truncated mid-array', 'trunc.json', () => '[{"a": 1}, {"a": 2'],
  ['JSON that is plain text', 'text.json', () => 'hello world'],
  ['JSON with a trailing comma', 'comma.json', () => '[{"a": 1},]'],
  ['gzip CSV that is not gzip', 'fake.csv.gz', () => 'id\n1\n'],
  ['Arrow IPC garbage', 'garbage.arrow', () => 'ARROW1 not really'],
];

let s: Ctx;
let n = 0;
const fake = (c: Ctx, path: string, driver: string): Artifact => ({ ...c.logged, id: `a_fake_${++n}`, path, uri: path, driver });
const stepOn = (file: (c: Ctx) => string, runId: string) => (c: Ctx) => c.tracker.run(CountRows, { inputs: { raw: file(c) }, runId });
const fnOn = (file: (c: Ctx) => string, runId: string) => (c: Ctx) =>
  c.tracker.run({ name: 'count', runId, inputs: { raw: file(c) }, outputs: ['n'], inputBinding: 'table', fn: (i) => ({ n: [{ n: (i.raw as Table).numRows }] }) });

const cases: Case<Ctx>[] = [
  ...CORRUPT.map(([what, file]): Case<Ctx> => ({
    name: `load ${what}`, code: 'ARTIFACT_LOAD_FAILED', call: (c) => c.tracker.load(c.byName[file]),
  })),
  ...CORRUPT.map(([what, file]): Case<Ctx> => ({
    name: `load by id ${what} with dbFallback never`, code: 'ARTIFACT_LOAD_FAILED', call: (c) => c.tracker.load(c.byName[file].id, { dbFallback: 'never' }),
  })),
  ...CORRUPT.map(([what, file], i): Case<Ctx> => ({
    name: `class step input (arrow.Table) ${what}`, code: 'ARTIFACT_LOAD_FAILED', failedRun: `cls_${i}`, call: stepOn((c) => c.files[file], `cls_${i}`),
  })),
  ...CORRUPT.slice(0, 8).map(([what, file], i): Case<Ctx> => ({
    name: `function step input (table binding) ${what}`, code: 'ARTIFACT_LOAD_FAILED', failedRun: `fn_${i}`, call: fnOn((c) => c.files[file], `fn_${i}`),
  })),
  ...CORRUPT.filter(([, f]) => !f.endsWith('.arrow')).slice(0, 10).map(([what, file]): Case<Ctx> => ({
    name: `ingest ${what}`, code: 'ARTIFACT_LOAD_FAILED', call: (c) => c.tracker.ingest(c.byName[file]),
  })),
  { name: 'load an artifact whose file was deleted', code: 'ARTIFACT_NOT_FOUND', call: (c) => c.tracker.load(fake(c, c.ws.path('gone.parquet'), 'parquet')) },
  { name: 'load an artifact of an unknown driver', code: 'ARTIFACT_UNSUPPORTED_FORMAT', call: (c) => c.tracker.load(fake(c, c.csv, 'xlsx')) },
  { name: 'load a directory named .parquet', code: 'ARTIFACT_LOAD_FAILED', call: (c) => c.tracker.load(fake(c, c.files.dir, 'parquet')) },
  { name: 'load a directory artifact', code: 'ARTIFACT_UNSUPPORTED_FORMAT', call: (c) => c.tracker.load(fake(c, c.files.dir, 'dir')) },
  { name: 'load a FIFO as CSV', code: 'ARTIFACT_UNSUPPORTED_FORMAT', call: (c) => c.tracker.load(fake(c, c.files.fifo, 'csv')) },
  { name: 'load a FIFO as Arrow', code: 'ARTIFACT_UNSUPPORTED_FORMAT', call: (c) => c.tracker.load(fake(c, c.files.fifo, 'arrow')) },
  { name: 'ingest a FIFO artifact', code: 'ARTIFACT_UNSUPPORTED_FORMAT', call: (c) => c.tracker.ingest(fake(c, c.files.fifo, 'csv')) },
  { name: 'ingest a deleted file', code: 'ARTIFACT_NOT_FOUND', call: (c) => c.tracker.ingest(fake(c, c.ws.path('gone.csv'), 'csv')) },
  { name: 'ingest a non-tabular artifact', code: 'ARTIFACT_UNSUPPORTED_FORMAT', call: (c) => c.tracker.ingest(fake(c, c.files.dir, 'dir')) },
  { name: 'logArtifact a FIFO as input', code: 'ARTIFACT_UNSUPPORTED_FORMAT',
    call: async (c) => c.tracker.startRun('log_fifo', {}, () => c.tracker.logArtifact(c.files.fifo, { direction: 'input' })), failedRun: 'log_fifo' },
  { name: 'step input that is a FIFO', code: 'ARTIFACT_UNSUPPORTED_FORMAT', call: stepOn((c) => c.files.fifo, 'fifo_in') },
  { name: 'dependsOn a FIFO', code: 'ARTIFACT_UNSUPPORTED_FORMAT',
    call: (c) => c.tracker.run(CountRows, { inputs: { raw: c.csv }, dependsOn: [c.files.fifo], runId: 'fifo_dep' }) },
  { name: 'step input (arrow.Table) that is a directory', code: 'ARTIFACT_UNSUPPORTED_FORMAT', failedRun: 'dir_in', call: stepOn((c) => c.files.dir, 'dir_in') },
  { name: 'step input deleted between runs', code: 'INPUT_NOT_FOUND', call: stepOn((c) => c.ws.path('deleted.csv'), 'deleted_in') },
  { name: 'step input behind a dangling symlink', code: 'INPUT_NOT_FOUND', call: stepOn((c) => c.files.dangling, 'dangling_in') },
  {
    name: 'valid: an unreadable-mode (chmod 000) file is still read by root or refused cleanly', code: null,
    call: async (c) => stepOn((x) => x.files.locked, 'locked_in')(c).then(() => 'read', (e: { code?: string }) => e.code),
    check: (r) => expect(['read', 'INPUT_NOT_FOUND', 'ARTIFACT_LOAD_FAILED']).toContain(r),
  },
  {
    name: 'valid: a CSV with ragged rows loads', code: null, call: (c) => c.tracker.load(fake(c, c.files.ragged, 'csv')),
    check: (t) => expect((t as Table).numRows).toBeGreaterThan(0),
  },
];

describe('bad input: missing, special and corrupt files', () => {
  beforeAll(async () => {
    const seeded = await openSeeded();
    const valid = readFileSync(seeded.produced.path);
    const files: Record<string, string> = {};
    for (const [, file, make] of CORRUPT) files[file] = seeded.ws.file(`bad/${file}`, make(valid));
    files.dir = seeded.ws.path('bad/folder.parquet');
    seeded.ws.file('bad/folder.parquet/part-0.txt', 'x');
    files.ragged = seeded.ws.file('bad/ragged.csv', 'a,b\n1,2\n3\n');
    files.locked = seeded.ws.file('bad/locked.csv', 'a\n1\n');
    chmodSync(files.locked, 0o000);
    files.dangling = seeded.ws.path('bad/dangling.csv');
    execFileSync('ln', ['-s', seeded.ws.path('bad/nowhere.csv'), files.dangling]);
    files.fifo = seeded.ws.path('bad/pipe.csv');
    execFileSync('mkfifo', [files.fifo]);
    writeFileSync(seeded.ws.path('deleted.csv'), 'a\n1\n');
    const byName: Record<string, Artifact> = {};
    await seeded.tracker.startRun('corrupt_files', {}, async () => {
      for (const [, file] of CORRUPT) byName[file] = await seeded.tracker.logArtifact(files[file], { key: `bad_${file.replace(/[^a-z]/g, '_')}` });
    });
    execFileSync('rm', [seeded.ws.path('deleted.csv')]);
    s = { ...seeded, files, byName };
  });
  afterAll(() => closeSeeded(s));
  it('has a large generated table', () => expect(cases.length).toBeGreaterThanOrEqual(60));
  eachCase(cases, () => s);
});
