// The layering of Brygga (DESIGN.md, README "Layout"), checked by `npm run lint`:
// dependencies point one way, from the entry points down to src/domain/.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two modules one: neither can be understood or changed alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'src/domain holds the rules, and imports nothing outside itself (not even a package).',
      from: { path: '^src/domain/', pathNot: '^src/domain/analysis/' },
      to: { pathNot: '^src/domain/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'analysis-reads-only-its-dictionary',
      severity: 'error',
      comment: 'The Swedish analysis is a pure function of the Hunspell dictionary: it may read that, and the stemmer, and nothing else.',
      from: { path: '^src/domain/analysis/' },
      to: { pathNot: ['^src/domain/', '^node_modules/(nspell|dictionary-sv|snowball-stemmers)/'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'src-stays-below-entry-points',
      severity: 'error',
      comment: 'src/ never imports workers/, scripts/ or test/; only src/main.ts (the npm start process) composes the workers in.',
      from: { path: '^src/', pathNot: '^src/main\\.ts$' },
      to: { path: '^(workers|scripts|test)/' },
    },
    {
      name: 'workers-and-scripts-not-tests',
      severity: 'error',
      comment: 'Commands and workers do not depend on test code.',
      from: { path: '^(workers|scripts|db)/' },
      to: { path: '^test/' },
    },
    {
      name: 'rows-only-in-repos',
      severity: 'error',
      comment: 'SQL lives in *.repo.ts: only they (and db/) know the table row types.',
      from: { path: '^(src|workers|scripts)/', pathNot: '\\.repo\\.ts$' },
      to: { path: '^db/schema\\.ts$' },
    },
    {
      name: 'db-is-the-bottom',
      severity: 'error',
      comment: 'db/ opens and migrates the database; it knows nothing of the features above it.',
      from: { path: '^db/' },
      to: { path: '^(src|workers|scripts|test)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.json'] },
  },
};
