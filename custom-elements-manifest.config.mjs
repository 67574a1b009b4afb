// `npm run manifest`: generates custom-elements.json (tags, attributes, properties,
// events, CSS parts and custom properties) from the widgets' source and JSDoc.
export default {
  globs: ['widgets/**/component.ts'],
  exclude: ['widgets/**/*.styles.ts', 'widgets/**/styles.ts'],
  outdir: '.',
  litelement: true,
  dependencies: false,
};
