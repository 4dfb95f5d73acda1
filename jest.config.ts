import type { Config } from 'jest';

const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }] as const;

const config: Config = {
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
  transform: {
    '^.+\\.ts$': tsJest as unknown as [string, Record<string, unknown>],
    // kysely >= 0.29 is ESM-only: Node 20 can require() it, jest cannot, so tests transpile it.
    '/node_modules/kysely/.+\\.js$': '<rootDir>/test/helpers/esm-transform.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!kysely/)'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  maxWorkers: 2,
  testTimeout: 60000,
};

export default config;
