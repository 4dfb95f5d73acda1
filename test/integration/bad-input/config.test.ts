/**
 * Generated bad-input cases: configs that cannot be canonicalized, configs failing class-validator,
 * and non-canonical values in the other recorded objects (facets, meta, manual-run and scenario
 * configs). Every rejection happens before anything is recorded.
 */
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { Input } from '../../../src/index';
import { Step } from '../../../src/index';
import type { ConsistError } from '../../../src/index';
import { StepBase } from '../../../src/index';
import { closeSeeded, eachCase, openSeeded, type Case, type Seeded } from './harness';

class Inner {
  @IsInt() @Min(1) depth = 1;
}

class StrictConfig {
  @IsNumber() @Min(0) threshold = 0.5;
  @IsBoolean() removeOutliers = true;
  @IsString() @MaxLength(10) label = 'base';
  @ValidateNested() @Type(() => Inner) inner: Inner = new Inner();
}

@Step({ outputs: ['out'], config: StrictConfig, codeVersion: '1' })
class StrictStep extends StepBase<StrictConfig> {
  async run(@Input('raw') raw: string): Promise<{ out: string }> {
    return { out: raw };
  }
}

class NotAStep {
  async run(): Promise<Record<string, never>> {
    return {};
  }
}

class WithMethod {
  weight = 1;
  scale = (x: number) => x * 2;
}

const loop = (): Record<string, unknown> => {
  const o: Record<string, unknown> = { a: 1 };
  o.self = o;
  return o;
};
const arrayLoop = (): unknown[] => {
  const a: unknown[] = [1];
  a.push({ back: a });
  return a;
};

/** Values `toCanonicalValue` must reject, with the path it must name under `config.x`. */
const NON_CANONICAL: ReadonlyArray<[string, () => unknown, string]> = [
  ['a function', () => () => 1, 'config.x'],
  ['an async function', () => async () => 1, 'config.x'],
  ['a class', () => class Foo {}, 'config.x'],
  ['a symbol', () => Symbol('s'), 'config.x'],
  ['NaN', () => NaN, 'config.x'],
  ['Infinity', () => Infinity, 'config.x'],
  ['-Infinity', () => -Infinity, 'config.x'],
  ['undefined inside an array', () => [1, undefined, 3], 'config.x[1]'],
  ['a sparse array', () => [1, , 3], 'config.x[1]'], // eslint-disable-line no-sparse-arrays
  ['a self cycle', loop, 'config.x.self'],
  ['a cycle through an array', arrayLoop, 'config.x[1].back'],
  ['NaN deep in nested arrays', () => ({ b: [1, [2, { c: NaN }]] }), 'config.x.b[1][1].c'],
  ['a function 6 levels deep', () => ({ a: { b: { c: { d: { e: () => 0 } } } } }), 'config.x.a.b.c.d.e'],
  ['a RegExp', () => /x/g, 'config.x'],
  ['a Promise', () => Promise.resolve(1), 'config.x'],
  ['a WeakMap', () => new WeakMap(), 'config.x'],
  ['an Error', () => new Error('e'), 'config.x'],
  ['an invalid Date', () => new Date('nope'), 'config.x'],
  ['a Set holding a function', () => new Set([() => 1]), 'config.x[0]'],
  ['a Map with a NaN value', () => new Map([['k', NaN]]), 'config.x[0][1]'],
  ['a symbol-keyed object', () => ({ [Symbol('k')]: 1 }), 'config.x'],
  ['a class instance with a function field', () => new WithMethod(), 'config.x.scale'],
  ['Infinity under a quoted key', () => ({ 'a b': Infinity }), 'config.x["a b"]'],
];

type Ctx = Seeded;
let s: Seeded;
let n = 0;
const fnStep = (config: unknown, extra: Record<string, unknown> = {}) => (c: Ctx) =>
  c.tracker.run({ name: 'cfg', runId: `cfg_${++n}`, inputs: { raw: c.csv }, outputs: [], config: config as never, fn: () => ({}), ...extra });
const strict = (config: unknown) => (c: Ctx) => c.tracker.run(StrictStep, { inputs: { raw: c.csv }, config: config as never, runId: `strict_${++n}` });
const pathIs = (expected: string) => (e: unknown) => expect((e as ConsistError).details.path).toBe(expected);

const cases: Case<Ctx>[] = [
  ...NON_CANONICAL.map(([what, value, path]): Case<Ctx> => ({
    name: `function step config.x is ${what} (${path})`, code: 'CONFIG_NOT_CANONICAL',
    call: async (c) => fnStep({ x: value() })(c).catch((e: unknown) => { pathIs(path)(e); throw e; }),
  })),
  ...NON_CANONICAL.slice(0, 8).map(([what, value, path]): Case<Ctx> => ({
    name: `run facet.x is ${what}`, code: 'CONFIG_NOT_CANONICAL',
    call: async (c) => fnStep({}, { facet: { x: value() } })(c).catch((e: unknown) => {
      expect((e as ConsistError).details.path).toBe(path.replace(/^config/, 'facet'));
      throw e;
    }),
  })),
  ...NON_CANONICAL.slice(3, 11).map(([what, value]): Case<Ctx> => ({
    name: `startRun config holding ${what}`, code: 'CONFIG_NOT_CANONICAL',
    call: (c) => c.tracker.startRun(`sr_cfg_${++n}`, { config: { x: value() } }, async () => undefined),
  })),
  ...NON_CANONICAL.slice(3, 11).map(([what, value]): Case<Ctx> => ({
    name: `beginRun facet holding ${what}`, code: 'CONFIG_NOT_CANONICAL',
    call: (c) => c.tracker.beginRun(`br_facet_${++n}`, { facet: { x: value() } }),
  })),
  { name: 'startRun meta with a cycle', code: 'CONFIG_NOT_CANONICAL', call: (c) => c.tracker.startRun('sr_meta', { meta: loop() }, async () => 1) },
  { name: 'scenario config with NaN', code: 'CONFIG_NOT_CANONICAL', call: (c) => c.tracker.scenario('sc_nan', { config: { w: NaN } }, async () => undefined) },
  { name: 'scenario facet with a cycle', code: 'CONFIG_NOT_CANONICAL', call: (c) => c.tracker.scenario('sc_cycle', { facet: loop() }, async () => undefined) },
  { name: 'config is a number', code: 'CONFIGURATION_INVALID', call: fnStep(5) },
  { name: 'config is a string', code: 'CONFIGURATION_INVALID', call: fnStep('threshold=1') },
  { name: 'config is an array', code: 'CONFIGURATION_INVALID', call: fnStep([1, 2]) },
  { name: 'config is null', code: 'CONFIGURATION_INVALID', call: fnStep(null) },
  { name: 'config is a function', code: 'CONFIGURATION_INVALID', call: fnStep(() => ({})) },
  { name: 'validator: negative threshold', code: 'CONFIG_VALIDATION_FAILED', call: strict({ threshold: -1 }) },
  { name: 'validator: threshold is a string', code: 'CONFIG_VALIDATION_FAILED', call: strict({ threshold: 'high' }) },
  { name: 'validator: threshold is NaN', code: 'CONFIG_VALIDATION_FAILED', call: strict({ threshold: NaN }) },
  { name: 'validator: removeOutliers is "yes"', code: 'CONFIG_VALIDATION_FAILED', call: strict({ removeOutliers: 'yes' }) },
  { name: 'validator: label too long', code: 'CONFIG_VALIDATION_FAILED', call: strict({ label: 'x'.repeat(11) }) },
  { name: 'validator: nested inner.depth 0', code: 'CONFIG_VALIDATION_FAILED', call: strict({ inner: { depth: 0 } }) },
  {
    name: 'validator: every violation is listed', code: 'CONFIG_VALIDATION_FAILED',
    call: async (c) => strict({ threshold: -1, removeOutliers: 1, label: 7, inner: { depth: 1.5 } })(c).catch((e: unknown) => {
      const v = (e as ConsistError).details.violations as string[];
      expect(v.length).toBeGreaterThanOrEqual(4);
      expect(v.join(' ')).toMatch(/inner\.depth/);
      throw e;
    }),
  },
  { name: 'validator: valid values in a non-canonical extra field', code: 'CONFIG_NOT_CANONICAL', call: strict({ threshold: 1, extra: NaN }) },
  { name: 'step class without @Step', code: 'METADATA_MISSING_DECORATOR', call: (c) => c.tracker.run(NotAStep as never, { inputs: {} }) },
  { name: 'class step missing its @Input', code: 'CONFIGURATION_INVALID', call: (c) => c.tracker.run(StrictStep, { inputs: {} }) },
  {
    name: 'valid: bigint and -0 canonicalize', code: null, call: fnStep({ big: 12n, zero: -0, when: new Date(0), tags: new Set(['b', 'a']) }),
    check: (r) => expect((r as { run: { config: unknown } }).run.config).toEqual({ big: { $bigint: '12' }, tags: ['a', 'b'], when: '1970-01-01T00:00:00.000Z', zero: 0 }),
  },
  {
    name: 'valid: a config-class instance passes validation', code: null,
    call: (c) => c.tracker.run(StrictStep, { inputs: { raw: c.csv }, config: Object.assign(new StrictConfig(), { threshold: 2 }), runId: 'strict_ok' }),
    check: (r) => expect((r as { run: { status: string } }).run.status).toBe('completed'),
  },
];

describe('bad input: configs', () => {
  beforeAll(async () => {
    s = await openSeeded();
  });
  afterAll(() => closeSeeded(s));
  it('has a large generated table', () => expect(cases.length).toBeGreaterThanOrEqual(60));
  eachCase(cases, () => s);
});
