/**
 * The layers of the app, as rules the build checks (`npm run lint` runs them; docs/architecture.md
 * draws them). Each rule says which imports would break a layer, and why.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment:
        'A module never imports itself back through others: every layer can be read from the bottom up.',
      from: { path: '^(src|bench|scripts)/' },
      to: { circular: true },
    },
    {
      name: 'model-imports-nothing-of-ours',
      severity: 'error',
      comment:
        'The model (data shapes, person keys, the gap language, reminder and uninstall rules) is the bottom layer.',
      from: { path: '^src/model/' },
      to: { path: '^src/', pathNot: '^src/model/' },
    },
    {
      name: 'store-knows-only-the-model',
      severity: 'error',
      comment: 'Stores keep data; they never depend on the domain, Slack, the sandbox or the CLI.',
      from: { path: '^src/store/' },
      to: { path: '^src/(assessments|reminders|frameworks|charts|orgs|slack|sandbox|cli)/' },
    },
    {
      name: 'domain-knows-nothing-of-slack',
      severity: 'error',
      comment:
        'Assessments, reminders, frameworks and charts are plain TypeScript: no Slack, no sandbox, no CLI.',
      from: { path: '^src/(assessments|reminders|frameworks|charts|orgs)/' },
      to: { path: '^src/(slack|sandbox|cli)/' },
    },
    {
      name: 'listeners-never-import-each-other',
      severity: 'error',
      comment:
        'Listeners of one kind never reach into another kind: what two kinds share lives in src/slack/answers/.',
      from: { path: '^src/slack/(actions|commands|events|options|shortcuts|view-submissions)/' },
      to: {
        path: '^src/slack/(actions|commands|events|options|shortcuts|view-submissions)/',
        pathNot: '^src/slack/$1/',
      },
    },
    {
      name: 'views-build-blocks-only',
      severity: 'error',
      comment: 'Views are pure functions from data to Block Kit: they never import listeners or answers.',
      from: { path: '^src/slack/views/' },
      to: { path: '^src/slack/(actions|commands|events|options|shortcuts|view-submissions|answers)/' },
    },
    {
      name: 'production-never-imports-the-sandbox',
      severity: 'error',
      comment: 'Only the entry point loads the sandbox (lazily, when no Slack tokens are set).',
      from: { path: '^src/', pathNot: ['^src/sandbox/', '^src/main\\.ts$'] },
      to: { path: '^src/sandbox/' },
    },
    {
      name: 'src-never-imports-tests',
      severity: 'error',
      comment: 'What the app runs never depends on what only the tests use.',
      from: { path: '^(src|scripts)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type declarations beside the sandbox page's plain JavaScript: the .js files are what is imported.
    exclude: { path: '\\.d\\.ts$' },
    // TypeScript 7 (the native compiler) has no JavaScript API to parse with: swc reads the TypeScript.
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
