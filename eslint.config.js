import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'var/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // The pages' progressive-enhancement scripts run in the browser (loaded as modules).
  {
    files: ['src/web/scripts/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(['window', 'document', 'navigator', 'location', 'history', 'fetch', 'URL', 'URLSearchParams', 'FormData', 'AbortController', 'Event', 'CustomEvent', 'HTMLElement', 'setTimeout', 'clearTimeout', 'console'].map((name) => [name, 'readonly'])),
    },
  },
  // Tool configuration in CommonJS (dependency-cruiser reads .cjs).
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } } },
);
