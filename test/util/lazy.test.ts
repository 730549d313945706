import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as openai from '@ai-sdk/openai';
import { lazyFunction, lazyValue, loadPackage, moduleLoader } from '../../src/util/lazy.ts';

class Real {
  static made = 0;
  static create(): Real {
    return new this('made');
  }
  readonly name: string;
  constructor(name: string) {
    this.name = name;
    Real.made++;
  }
  greet(): string {
    return `hello ${this.name}`;
  }
}

describe('lazy exports', () => {
  it('a lazy function asks for its real self only when called, and passes arguments and this through', () => {
    let loads = 0;
    const add = lazyFunction(() => {
      loads++;
      return (a: number, b: number) => a + b;
    });
    assert.equal(loads, 0);
    assert.equal(add(2, 3), 5);
    const self = { f: lazyFunction(() => function (this: { n: number }) { return this.n; }), n: 7 };
    assert.equal(self.f(), 7);
    assert.equal(loads, 1, 'the loader is asked on each call; moduleLoader caches the module');
  });

  it('a lazy class is loaded on first touch and behaves as the real one: new, instanceof, statics, extends', () => {
    let loads = 0;
    const Lazy = lazyValue(() => (loads++, Real), 'class');
    assert.equal(loads, 0);
    const a = new Lazy('a');
    assert.ok(a instanceof Real);
    assert.ok(new Real('b') instanceof Lazy);
    assert.equal(a.greet(), 'hello a');
    assert.equal(Object.getPrototypeOf(a), Real.prototype);
    assert.equal(Lazy.name, 'Real');
    assert.ok(Lazy.create() instanceof Real);
    class Sub extends Lazy {
      override greet(): string {
        return `${super.greet()}!`;
      }
    }
    const s = new Sub('s');
    assert.equal(s.greet(), 'hello s!');
    assert.ok(s instanceof Sub && s instanceof Real && s instanceof Lazy);
    assert.ok(loads > 0);
  });

  it('a lazy object answers property reads, `in` and its prototype from the real one', () => {
    const real = { shape: { a: 1 }, parse: (v: unknown) => v };
    const lazy = lazyValue(() => real, 'object');
    assert.equal(lazy.shape, real.shape);
    assert.equal(lazy.parse(3), 3);
    assert.ok('parse' in lazy);
  });

  it('moduleLoader loads a module next to the caller with the caller\'s extension, once', () => {
    const load = moduleLoader(import.meta.url)<typeof import('../../src/util/csv.ts')>('../../src/util/csv');
    assert.equal(load(), load());
    assert.equal(typeof load().toCsv, 'function');
  });

  it('loadPackage loads the same ES module an import of the package gets', () => {
    assert.equal(loadPackage<typeof openai>('@ai-sdk/openai').createOpenAI, openai.createOpenAI);
  });
});
