import { Table as ArrowTable } from 'apache-arrow';
import { Input } from '../../../src/decorators/input';
import { Step } from '../../../src/decorators/step';
import { Column } from '../../../src/decorators/column';
import { Table } from '../../../src/decorators/table';
import { isConsistError } from '../../../src/errors';
import { compileStep } from '../../../src/metadata/compile-step';
import { getStepMetadata, isStepClass } from '../../../src/metadata/step-metadata';
import type { Artifact } from '../../../src/model';
import { StepBase } from '../../../src/runtime/step-base';
import { StepContext } from '../../../src/runtime/step-context';

/** The error `fn` throws (fails the test when it does not throw). */
function thrown(fn: () => unknown): { code: string; details: Record<string, unknown>; message: string } {
  try {
    fn();
  } catch (err) {
    expect(isConsistError(err)).toBe(true);
    return err as never;
  }
  throw new Error('expected a throw');
}

describe('compileStep', () => {
  it('throws METADATA_MISSING_DECORATOR for a class without @Step', () => {
    class Plain extends StepBase {
      async run() { return {}; }
    }
    const err = thrown(() => compileStep(Plain));
    expect(err.code).toBe('METADATA_MISSING_DECORATOR');
    expect(err.details).toMatchObject({ target: 'Plain', decorator: '@Step' });
    expect(isStepClass(Plain)).toBe(false);
  });

  it('throws METADATA_DUPLICATE_DECORATOR when @Step is applied twice', () => {
    const err = thrown(() => {
      @Step(['a'])
      @Step(['b'])
      class Twice extends StepBase {
        async run() { return {}; }
      }
      return Twice;
    });
    expect(err.code).toBe('METADATA_DUPLICATE_DECORATOR');
    expect(err.details).toMatchObject({ target: 'Twice', decorator: '@Step' });
  });

  it('throws METADATA_DUPLICATE_KEY for an output key declared twice', () => {
    @Step({ outputs: ['cleaned', 'cleaned'] })
    class Dup extends StepBase {
      async run() { return {}; }
    }
    const err = thrown(() => compileStep(Dup));
    expect(err.code).toBe('METADATA_DUPLICATE_KEY');
    expect(err.details).toMatchObject({ target: 'Dup', kind: 'output', key: 'cleaned' });
  });

  it.each([['has space'], ['../escape'], [''], ['-lead']])('throws METADATA_INVALID_OPTION for the output key %j', (key) => {
    @Step({ outputs: [key] })
    class BadKey extends StepBase {
      async run() { return {}; }
    }
    const err = thrown(() => compileStep(BadKey));
    expect(err.code).toBe('METADATA_INVALID_OPTION');
    expect(err.details).toMatchObject({ target: 'BadKey', option: `outputs.${key}` });
  });

  it('throws METADATA_UNBOUND_PARAMETER naming the class and position of a parameter without @Input', () => {
    @Step(['out'])
    class Unbound extends StepBase {
      async run(@Input('raw') raw: string, threshold: number) { return { out: raw + threshold }; }
    }
    const err = thrown(() => compileStep(Unbound));
    expect(err.code).toBe('METADATA_UNBOUND_PARAMETER');
    expect(err.details).toEqual({ target: 'Unbound', method: 'run', index: 1 });
    expect(err.message).toContain('Unbound.run()');
    expect(err.message).toContain('#1');
  });

  it('throws METADATA_DUPLICATE_KEY for two parameters bound to the same input key', () => {
    @Step(['out'])
    class TwoRaw extends StepBase {
      async run(@Input('raw') a: string, @Input('raw') b: string) { return { out: a + b }; }
    }
    expect(thrown(() => compileStep(TwoRaw))).toMatchObject({ code: 'METADATA_DUPLICATE_KEY', details: { kind: 'input', key: 'raw' } });
  });

  it('rejects a class without run(), a non-integer cacheVersion and a schema that is not a @Table', () => {
    @Step(['a'])
    class NoRun {}
    @Step({ outputs: ['a'], cacheVersion: 1.5 })
    class Fractional extends StepBase {
      async run() { return {}; }
    }
    class NotATable {}
    @Step({ outputs: { a: { schema: NotATable } } })
    class BadSchema extends StepBase {
      async run() { return {}; }
    }
    expect(thrown(() => compileStep(NoRun))).toMatchObject({ code: 'METADATA_INVALID_OPTION', details: { option: 'run' } });
    expect(thrown(() => compileStep(Fractional))).toMatchObject({ code: 'METADATA_INVALID_OPTION', details: { option: 'cacheVersion' } });
    expect(thrown(() => compileStep(BadSchema)).code).toBe('METADATA_UNKNOWN_TABLE');
  });

  it('rejects @Input with an invalid key or on a method other than run()', () => {
    expect(thrown(() => Input('bad key'))).toMatchObject({ code: 'METADATA_INVALID_OPTION', details: { option: 'key' } });
    expect(thrown(() => Input('ok', { as: 'bytes' as 'path' }))).toMatchObject({ code: 'METADATA_INVALID_OPTION', details: { option: 'as' } });
    const err = thrown(() => {
      class Other {
        helper(@Input('raw') raw: string) { return raw; }
      }
      return Other;
    });
    expect(err.code).toBe('METADATA_INVALID_OPTION');
  });

  it('expands the outputs shorthand array into required outputs without schema', () => {
    @Step(['cleaned', 'report'])
    class Shorthand extends StepBase {
      async run() { return {}; }
    }
    const def = compileStep(Shorthand);
    expect(def.outputs).toEqual([
      { key: 'cleaned', required: true, schema: null },
      { key: 'report', required: true, schema: null },
    ]);
    expect(def).toMatchObject({ name: 'Shorthand', declaresOutputs: true, configClass: null, codeVersion: null, cacheVersion: 0 });
    expect(getStepMetadata(Shorthand)?.options.outputs).toEqual(['cleaned', 'report']);
  });

  it('compiles the object form: optional outputs, @Table schemas (thunks too), name, versions and config', () => {
    @Table({ name: 'trips' })
    class Trips {
      @Column({ type: 'int64' }) id!: number;
    }
    class Cfg { k = 1; }
    @Step({
      name: 'clean', outputs: { a: { required: false }, b: true, c: { schema: () => Trips } },
      config: Cfg, codeVersion: '3', cacheVersion: 2, model: 'asim',
    })
    class ObjectForm extends StepBase<Cfg> {
      async run() { return {}; }
    }
    const def = compileStep(ObjectForm);
    expect(def.outputs).toEqual([
      { key: 'a', required: false, schema: null },
      { key: 'b', required: true, schema: null },
      { key: 'c', required: true, schema: Trips },
    ]);
    expect(def).toMatchObject({ name: 'clean', configClass: Cfg, codeVersion: '3', cacheVersion: 2, model: 'asim', target: ObjectForm });
  });

  it('binds parameters by their declared type, by { as }, and StepContext to the context', () => {
    @Step(['out'])
    class Bindings extends StepBase {
      async run(
        @Input('table') t: ArrowTable,
        @Input('path') p: string,
        @Input('record') r: Artifact,
        ctx: StepContext,
        @Input('forced', { as: 'path', optional: true }) f: ArrowTable,
      ) { return { out: [t, p, r, ctx, f] }; }
    }
    expect(compileStep(Bindings).params).toEqual([
      { index: 0, kind: 'input', key: 'table', as: 'table', optional: false },
      { index: 1, kind: 'input', key: 'path', as: 'path', optional: false },
      { index: 2, kind: 'input', key: 'record', as: 'artifact', optional: false },
      { index: 3, kind: 'context' },
      { index: 4, kind: 'input', key: 'forced', as: 'path', optional: true },
    ]);
  });

  it('returns the same deeply frozen definition on every call', () => {
    @Step(['out'])
    class Frozen extends StepBase {
      async run(@Input('raw') raw: string) { return { out: raw }; }
    }
    const def = compileStep(Frozen);
    expect(compileStep(Frozen)).toBe(def);
    expect(Object.isFrozen(def)).toBe(true);
    expect(Object.isFrozen(def.outputs)).toBe(true);
    expect(Object.isFrozen(def.outputs[0])).toBe(true);
    expect(Object.isFrozen(def.params)).toBe(true);
    expect(Object.isFrozen(def.params[0])).toBe(true);
    expect(() => { (def as { name: string }).name = 'x'; }).toThrow(TypeError);
  });

  it('inherits @Input bindings of run() from a parent class', () => {
    abstract class ReadsRaw extends StepBase {
      async run(@Input('raw') raw: string, ctx: StepContext) { return { out: `${raw}:${ctx.runId}` }; }
    }
    @Step({ outputs: ['out'], codeVersion: '1' })
    class Child extends ReadsRaw {}
    @Step({ outputs: ['out'], codeVersion: '2' })
    class GrandChild extends Child {}
    const expected = [{ index: 0, kind: 'input', key: 'raw', as: 'path', optional: false }, { index: 1, kind: 'context' }];
    expect(compileStep(Child).params).toEqual(expected);
    expect(compileStep(GrandChild).params).toEqual(expected);
    expect(compileStep(GrandChild).codeVersion).toBe('2');
  });

  it("uses an overriding run()'s own parameters, not the parent's", () => {
    @Step({ outputs: ['out'] })
    class Parent extends StepBase {
      async run(@Input('raw') raw: string) { return { out: raw }; }
    }
    @Step({ outputs: ['out'] })
    class Override extends Parent {
      override async run(@Input('other') other?: string) { return { out: other ?? '' }; }
    }
    @Step({ outputs: ['out'] })
    class Undecorated extends Parent {
      override async run(raw?: string) { return { out: raw ?? '' }; }
    }
    expect(compileStep(Override).params).toEqual([{ index: 0, kind: 'input', key: 'other', as: 'path', optional: false }]);
    expect(compileStep(Parent).params[0]).toMatchObject({ key: 'raw' });
    expect(thrown(() => compileStep(Undecorated))).toMatchObject({ code: 'METADATA_UNBOUND_PARAMETER', details: { index: 0 } });
  });
});
