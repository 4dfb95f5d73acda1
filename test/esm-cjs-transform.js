'use strict';
/**
 * Jest transform for the few ESM-only packages the format drivers use (h5wasm, numcodecs): jest
 * (CommonJS, Node 20) cannot `require` ESM, while plain Node ≥ 20.19 can (src/formats/esm.ts). This
 * compiles their files to CommonJS with TypeScript's transpiler and maps `import.meta.url` to the
 * file's URL. Test-only: the library ships no transformed copy.
 */
const ts = require('typescript');
const crypto = require('node:crypto');

module.exports = {
  getCacheKey(source, path) {
    return crypto.createHash('sha256').update('esm-cjs-3').update(path).update(source).digest('hex');
  },
  process(source) {
    // Emscripten's `await import("module")` sits in a function that declares its own `var require`,
    // which would shadow the CommonJS one after transpiling: bind node:module at file scope instead.
    const pre = source.includes('await import("module")')
      ? `const __esmCjsNodeModule = require("node:module");\n${source.replace(/await import\("module"\)/g, '__esmCjsNodeModule')}`
      : source;
    const out = ts.transpileModule(pre, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, allowJs: true, esModuleInterop: true },
    });
    const url = 'const __esmCjsUrl = require("node:url").pathToFileURL(__filename).href;\n';
    return { code: url + out.outputText.replace(/import\.meta\.url/g, '__esmCjsUrl') };
  },
};
