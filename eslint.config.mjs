// ESLint flat config: the project's structural rules (docs/architecture.md § Layers).
// Layers are enforced with import-x/no-restricted-paths: a folder may import its own layer and
// the layers below it, never a layer above. Type-aware linting is off: these rules need none,
// and `tsc --noEmit` already checks types.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

/** The layer table, lowest first. Keep in step with docs/architecture.md. */
const LAYERS = [
  ['errors', 'util'],
  ['model', 'metadata', 'identity'],
  ['decorators', 'provenance', 'journal', 'engine', 'artifacts', 'formats'],
  ['recording', 'cache', 'coupler', 'views', 'materialize', 'configs'],
  ['runtime', 'containers', 'executors', 'sweeps', 'maintenance'],
  ['di'],
  ['tracker'],
  ['queries'],
  ['cli', 'ui', 'export'],
];

const zones = LAYERS.flatMap((folders, level) => {
  const above = LAYERS.slice(level + 1).flat();
  return above.length === 0 ? [] : folders.map((folder) => ({
    target: `./src/${folder}`,
    from: above.map((f) => `./src/${f}`),
    message: `layer violation: src/${folder} (L${level}) must not import a higher layer (docs/architecture.md § Layers)`,
  }));
});

export default tseslint.config(
  { linterOptions: { reportUnusedDisableDirectives: 'off' } },
  { ignores: ['dist/**', 'dist-examples/**', 'node_modules/**', 'native/**', 'coverage/**'] },
  {
    files: ['src/**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaVersion: 2022, sourceType: 'module' } },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: { 'import-x/resolver': { typescript: { project: './tsconfig.json' }, node: true } },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones }],
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
      'max-params': ['error', 4],
      '@typescript-eslint/max-params': 'off',
      'no-restricted-syntax': ['error', {
        selector: "ThrowStatement > NewExpression[callee.name=/^(Error|TypeError|RangeError)$/]",
        message: 'throw a ConsistError subclass with a stable code (src/errors/), not a bare Error',
      }],
    },
  },
  {
    // Integration tests use the public API (src/index), so moving a file inside src/ never breaks them.
    // test/internals/ and test/unit/ test internal pieces and may import them. The listed files
    // observe internals on purpose (DB unit counters, a damaged DB) and say so at their imports.
    files: ['test/integration/**/*.ts'],
    ignores: ['test/integration/caching/chained-hit.test.ts', 'test/integration/maintenance/doctor.test.ts',
      'test/integration/maintenance/fixture.ts', 'test/integration/reliability/sweep.test.ts'],
    plugins: { '@typescript-eslint': tseslint.plugin },
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaVersion: 2022, sourceType: 'module' } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [{
        regex: '^(\\.\\./)+src/(?!index$).+',
        message: 'integration tests import the public API (src/index); tests of internals live in test/internals or test/unit',
      }] }],
    },
  },
);
