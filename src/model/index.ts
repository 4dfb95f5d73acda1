export * from './run';
export * from './artifact';
export * from './snapshot';
export * from './artifact-key';
