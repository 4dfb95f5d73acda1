import type { Config } from 'jest';

const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }] as const;

const config: Config = {
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/test/global-setup.js',
  transform: {
    '^.+\\.ts$': tsJest as unknown as [string, Record<string, unknown>],
    // ESM-only format packages (h5wasm, numcodecs) compiled to CommonJS for jest; see test/esm-cjs-transform.js.
    '/node_modules/(h5wasm|numcodecs)/.+\\.js$': '<rootDir>/test/esm-cjs-transform.js',
  },
  // examples/travel-demand imports the package by name, as a user would (tsconfig.json `paths` for types).
  moduleNameMapper: { '^consist-ts$': '<rootDir>/src/index.ts' },
  transformIgnorePatterns: ['/node_modules/(?!(h5wasm|numcodecs)/)'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  maxWorkers: 2,
  testTimeout: 60000,
};

export default config;
