// Jest (on Node 20) cannot load ESM-only packages such as kysely >= 0.29, although Node itself can
// (require(esm)). This transformer turns their ES modules into CommonJS for tests only.
const crypto = require('node:crypto');
const ts = require('typescript');

module.exports = {
  process(source, filename) {
    const out = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, allowJs: true, sourceMap: false },
    });
    return { code: out.outputText };
  },
  getCacheKey(source, filename) {
    return crypto.createHash('sha256').update('esm-transform-1').update(filename).update(source).digest('hex');
  },
};
