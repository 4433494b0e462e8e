/**
 * Node's own `require`, out of bundlers' sight (Next.js would otherwise try to bundle kafkajs's
 * internals and the native addon; only the worker's copy path uses them, at run time).
 */
export function nodeRequire(): NodeJS.Require {
  return process.getBuiltinModule("node:module").createRequire(import.meta.url);
}

/**
 * Replaces kafkajs's module `path` (relative to the package) in Node's require cache with what
 * `replace` makes of the original, once per process, and forgets the modules in `reload`: they
 * captured the original when they loaded, and kafkajs loads its protocol modules lazily, so they
 * load again around the replacement the next time they are needed.
 */
export function replaceKafkajsModule<T>(
  path: string,
  replace: (original: T) => unknown,
  reload: string[],
): void {
  const require = nodeRequire();
  const resolved = require.resolve(`kafkajs/${path}`);
  if (replaced.has(resolved)) return;
  const { Module } = process.getBuiltinModule("node:module");
  const module = new Module(resolved);
  module.filename = resolved;
  module.loaded = true;
  module.exports = replace(require(resolved) as T);
  require.cache[resolved] = module;
  replaced.add(resolved);
  for (const r of reload) delete require.cache[require.resolve(`kafkajs/${r}`)];
}
const replaced = new Set<string>();
