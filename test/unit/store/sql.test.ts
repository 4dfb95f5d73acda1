import { qualify, quoteIdent, quoteLiteral } from '../../../src/provenance/sql';

describe('sql quoting', () => {
  it('doubles embedded quotes', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(qualify('hot', 'v"; DROP TABLE run;--')).toBe('"hot"."v""; DROP TABLE run;--"');
  });
});
