import { qualify, quoteIdent, quoteLiteral } from '../../../src/provenance/sql';

describe('sql quoting', () => {
  it('doubles embedded quotes', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(qualify('hot', 'v"; DROP TABLE run;--')).toBe('"hot"."v""; DROP TABLE run;--"');
  });
});

describe('sql quoting of a NUL byte', () => {
  it('rejects it with SQL_TEXT_INVALID before any SQL is built', () => {
    expect(() => quoteIdent('a\u0000b')).toThrow(expect.objectContaining({ code: 'SQL_TEXT_INVALID' }));
    expect(() => quoteLiteral('a\u0000b')).toThrow(expect.objectContaining({ code: 'SQL_TEXT_INVALID' }));
  });
});
