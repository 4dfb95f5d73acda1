export { ModelConfig, isModelConfig, withOverrides } from './model-config';
export { activitysimConfig, type ActivitySimConfigOptions } from './activitysim';
export { beamConfig, type BeamConfigOptions } from './beam';
export type { ResolvedModelConfig, SourcePosition, PositionMap } from './source-position';
