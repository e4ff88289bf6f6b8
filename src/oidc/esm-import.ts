import { randomUUID } from 'node:crypto';

/**
 * oidc-provider, jose and openid-client are ES modules only. TypeScript compiles `import()` to
 * `require()` under `module: commonjs`, which cannot load them; a function made at run time keeps
 * the real `import()` (in Node and under jest's --experimental-vm-modules alike). Its source is
 * unique per process and test file: V8 caches compiled functions by source, and a cached one would
 * import through the module loader of the test file that first compiled it.
 */
export const importEsm = new Function('specifier', `return import(specifier); // ${randomUUID()}`) as <T>(specifier: string) => Promise<T>;
