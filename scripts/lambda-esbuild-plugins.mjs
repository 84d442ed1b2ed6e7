// esbuild plugins for the Lambda bundles: sst.config.ts hands this file to SST (`nodejs.plugins`), and
// bench/lambda-bundles.ts (which the bundle test and the bench use) builds with the same list, so what is measured is
// what is deployed. Each plugin drops weight a Lambda never uses; none changes behaviour.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * zod's `z` namespace re-exports every locale (≈260 KiB minified), so none is tree-shaken; the API only speaks
 * English (zod's default), so the locales module becomes English alone.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer)
        ? { path: `${dirname(dirname(args.importer))}/locales/index.js`, namespace: 'zod-locales' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from './en.js';`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

/**
 * The code a cold start runs (the configuration, the event schemas) uses zod/mini, and the rest the full zod. Both sit
 * on zod's core, and esbuild splits code by file: every core file reachable from the entry is loaded on a cold start
 * with all that the full zod uses of it (≈130 KiB). zod/mini gets its own copy of the core instead, which keeps only
 * what mini uses. Schemas of the two copies never meet: mini's parse the environment and events, the full zod's the
 * API and the domain.
 */
const zodMiniOwnCore = {
  name: 'zod-mini-own-core',
  setup(build) {
    const zodDir = /[\\/]node_modules[\\/]zod[\\/]/;
    build.onResolve({ filter: /^zod\/mini$/ }, async (args) => {
      if (args.pluginData?.real) return undefined;
      const real = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { real: true } });
      return { path: real.path, namespace: 'zod-mini' };
    });
    build.onResolve({ filter: /^\./, namespace: 'zod-mini' }, (args) => {
      const path = join(args.resolveDir, args.path);
      return { path, namespace: 'zod-mini', pluginData: { englishOnly: /[\\/]locales[\\/]index\.js$/.test(path) } };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-mini' }, async (args) => {
      if (!zodDir.test(args.path)) throw new Error(`zod-mini-own-core: ${args.path} is outside zod`);
      // English alone, as zodEnglishOnly does for the full zod.
      const contents = args.pluginData?.englishOnly ? `export { default as en } from './en.js';` : await readFile(args.path, 'utf8');
      return { contents, resolveDir: dirname(args.path), loader: 'js' };
    });
  },
};

/**
 * The project's JSON data (the regulations catalog, ≈400 KiB as a JS object literal) is embedded gzipped and parsed
 * on load: a tenth of the bytes, and JSON.parse of a string is faster than evaluating the same object literal.
 */
const compressedJsonData = {
  name: 'compressed-json-data',
  setup(build) {
    build.onLoad({ filter: /\.json$/ }, async (args) => {
      if (args.path.includes('node_modules')) return undefined;
      const text = JSON.stringify(JSON.parse(await readFile(args.path, 'utf8')));
      const data = gzipSync(text, { level: 9 }).toString('base64');
      return {
        contents: `import { gunzipSync } from 'node:zlib';\nexport default JSON.parse(gunzipSync(Buffer.from(${JSON.stringify(data)}, 'base64')).toString('utf8'));\n`,
        loader: 'js',
      };
    });
  },
};

/**
 * Lambda hands a function its role's credentials in environment variables, so of the SDK's default credential chain
 * (SSO, INI files, process, web identity with its own STS/SSO clients, IMDS…) only the environment provider is ever
 * used; the chain is replaced by it.
 */
const environmentCredentialsOnly = {
  name: 'environment-credentials-only',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, async (args) => {
      if (args.pluginData?.real) return undefined;
      const real = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { real: true } });
      return { path: real.path, namespace: 'env-credentials' };
    });
    build.onLoad({ filter: /.*/, namespace: 'env-credentials' }, (args) => ({
      contents: `import { fromEnv } from '@aws-sdk/credential-provider-env';\nexport const defaultProvider = (init = {}) => fromEnv(init);\n`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

/**
 * `workflows/events.ts` needs only the SDK's `eventType`, but the `inngest` entry module does not tree-shake: importing
 * it brings the whole SDK (≈340 KiB with its own zod 3 and temporal-polyfill) into every bundle that defines or sends
 * an event, the API's included. That file alone gets the SDK's own module that defines `eventType` (it imports
 * nothing); where the SDK is bundled as well it is the same module, so its `instanceof EventType` checks still hold.
 */
const inngestEventTypeOnly = {
  name: 'inngest-event-type-only',
  setup(build) {
    build.onResolve({ filter: /^inngest$/ }, async (args) => {
      if (args.pluginData?.real || !/[\\/]workflows[\\/]events\.ts$/.test(args.importer)) return undefined;
      const real = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { real: true } });
      return { path: join(dirname(real.path), 'components', 'triggers', 'triggers.js') };
    });
  },
};

export default [zodMiniOwnCore, zodEnglishOnly, compressedJsonData, environmentCredentialsOnly, inngestEventTypeOnly];
