import { parquetProgressCases } from './parquet-progress.cases';

// The addon is looked up lazily (at the first write), so this puts this file's process on the
// portable path (the table-function stream).
const before = process.env.CONSIST_NATIVE;
process.env.CONSIST_NATIVE = '0';
afterAll(() => {
  if (before === undefined) delete process.env.CONSIST_NATIVE;
  else process.env.CONSIST_NATIVE = before;
});

describe('Parquet-write progress, portable path (CONSIST_NATIVE=0)', () => {
  parquetProgressCases(() => false);
});
