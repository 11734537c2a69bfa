// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * Layer rules of DESIGN.md, enforced here so a wrong import fails CI instead of review:
 * shared/ is pure; electron/core/ never imports electron; renderer/ never imports Node or electron/**;
 * the Electron shell never imports the preview bridge.
 */
const nodeBuiltins = ['node:*', ...builtinModules.filter((name) => !name.startsWith('_'))];
const electronModule = { group: ['electron', 'electron/*'], message: 'Only the Electron shell (electron/*.ts outside core) may import electron.' };
const nodeModules = { group: nodeBuiltins, message: 'This layer runs without Node.js: no Node built-ins.' };

/**
 * @param {string[]} files
 * @param {string} escape
 * @returns {import('eslint').Linter.Config}
 */
function sharedLayer(files, escape) {
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            electronModule,
            nodeModules,
            { group: ['react', 'react-dom', 'react/*', 'antd', 'antd/*'], message: 'shared/ is pure: no UI libraries.' },
            { group: ['**/electron/**', '**/renderer/**', escape], message: 'shared/ imports nothing outside shared/.' },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.tools/**', '.tsbuild/**', 'test-results/**', 'bench-results/**', 'preview-data/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  // A relative path that climbs out of shared/ depends on how deep the file is.
  sharedLayer(['shared/*.ts'], '../*'),
  sharedLayer(['shared/*/*.ts'], '../../*'),
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            electronModule,
            { group: ['**/renderer/**'], message: 'The core never imports the renderer.' },
            { group: ['**/preview/**', '../../*.ts', '../../main', '../../ipc', '../../preload', '../../windowPolicy', '../../keystore', '../../print', '../../dialogs'], message: 'The core imports only shared/ and Node, never the shell or the preview.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            electronModule,
            nodeModules,
            { group: ['**/electron/**', '**/electron'], message: 'The renderer knows only the contract in shared/.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXMemberExpression[object.name='Input'][property.name='Password'], MemberExpression[object.name='Input'][property.name='Password']",
          message: 'Use PasswordInput (renderer/forms): its eye is no Tab stop.',
        },
      ],
    },
  },
  {
    files: ['renderer/forms/PasswordInput.tsx'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['electron/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['./preview', './preview/**'], message: 'The preview bridge is a development tool and is never part of the Electron shell.' }] },
      ],
    },
  },
);
