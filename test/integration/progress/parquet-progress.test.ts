import { parquetProgressCases } from './parquet-progress.cases';

// The native addon when npm install built it (test/internals/engine/native-parquet.test.ts checks
// that it is built), else the portable path; parquet-progress-portable.test.ts forces the latter.
describe(`Parquet-write progress, ${process.env.CONSIST_NATIVE === '0' ? 'portable (CONSIST_NATIVE=0)' : 'native addon'}`, () => {
  parquetProgressCases(() => process.env.CONSIST_NATIVE !== '0');
});
