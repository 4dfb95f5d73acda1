import * as path from 'node:path';
import { getDeclaringModule } from '../../../src/metadata/declaring-module';
import { resolveStepModule } from '../../../src/sweeps/step-module';
import { SweepError } from '../../../src/errors';
import { Square, declareLocalStep } from '../../fixtures/sweeps/steps';

const FIXTURE = path.resolve(__dirname, '../../fixtures/sweeps/steps.ts');

describe('where a step class was declared', () => {
  it('records the declaring module and finds the export that is the class', () => {
    expect(getDeclaringModule(Square)?.file).toBe(FIXTURE);
    expect(resolveStepModule(Square)).toEqual({ module: FIXTURE, exportName: 'Square' });
  });

  it('takes { module, exportName } overrides, checked', () => {
    expect(resolveStepModule(Square, { exportName: 'Square' })).toEqual({ module: FIXTURE, exportName: 'Square' });
    expect(() => resolveStepModule(Square, { exportName: 'Nope' })).toThrow(expect.objectContaining({ code: 'STEP_NOT_IMPORTABLE' }));
    expect(() => resolveStepModule(Square, { module: '/no/such/module.js' })).toThrow(SweepError);
  });

  it('refuses a class declared inside a function, naming the function', () => {
    const Local = declareLocalStep();
    expect(getDeclaringModule(Local)?.enclosingFunction).toBe('declareLocalStep');
    expect(() => resolveStepModule(Local)).toThrow(/declareLocalStep/);
  });
});
