// Pages render wherever the process starts: tsx reads tsconfig.json from the
// working folder, so a process started elsewhere (systemd, a test in a temp
// folder) would compile JSX for React. Each .tsx file says its JSX runtime itself.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';

const PRAGMA = '/** @jsxRuntime automatic @jsxImportSource preact */';
const src = new URL('../../src', import.meta.url).pathname;

describe('JSX files', () => {
  it('each names its JSX runtime on its first line', () => {
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tsx'));
    expect(files.length).to.be.above(10);
    const without = files.filter((f) => readFileSync(join(src, f), 'utf8').split('\n')[0] !== PRAGMA);
    expect(without).to.deep.equal([]);
  });
});
