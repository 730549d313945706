// Exports that load their module on first use, so importing Parley's front door (src/index.ts)
// costs almost nothing (issue 19): the agent schema (zod), the store (kysely), the model SDKs and
// the phone-number tables load only when a caller reaches for them. Loading is synchronous
// (Node 24's require() of an ES module), so lazy functions, classes and objects behave exactly
// like the real ones, sync or async.
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A loader of modules next to `fromUrl`: `.ts` when running from source, `.js` from the build. */
export function moduleLoader(fromUrl: string): <M>(path: string) => () => M {
  const require = createRequire(fromUrl);
  const ext = extname(fileURLToPath(fromUrl));
  return <M>(path: string) => {
    let loaded: M | undefined;
    return () => (loaded ??= require(`${path}${ext}`) as M);
  };
}

/** A function that loads its real self on first call. */
export function lazyFunction<F extends (...args: never[]) => unknown>(real: () => F): F {
  return function (this: unknown, ...args: Parameters<F>) {
    return real().apply(this, args);
  } as F;
}

/**
 * A class or object that loads its real self on first touch: `new`, calls, properties, `instanceof`
 * and `extends` reach the real one (a Proxy with only the traps that keep its invariants).
 */
export function lazyValue<T extends object>(real: () => T, kind: 'class' | 'object'): T {
  // a plain function's `prototype` is writable, so reads may answer with the real class's
  const target = kind === 'class' ? function () {} : {};
  const proxy: object = new Proxy(target, {
    get: (_, key) => Reflect.get(real(), key),
    set: (_, key, value) => Reflect.set(real(), key, value),
    has: (_, key) => Reflect.has(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    apply: (_, self, args) => Reflect.apply(real() as (...a: unknown[]) => unknown, self, args),
    construct: (_, args, newTarget) => {
      const cls = real() as new (...a: unknown[]) => object;
      return Reflect.construct(cls, args, newTarget === proxy ? cls : newTarget);
    },
  });
  return proxy as T;
}

/**
 * A package's ES module, loaded synchronously where a function first needs it. It resolves the
 * `import` entry, so it is the very module any `import` of the package gets, not its CommonJS twin.
 */
export function loadPackage<M>(name: string): M {
  return createRequire(import.meta.url)(fileURLToPath(import.meta.resolve(name))) as M;
}
