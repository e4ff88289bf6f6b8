import type { DiscoverableDecorator, DiscoveryService, MetadataScanner } from '@nestjs/core';

export interface DecoratedMethod<T, M> {
  /** The decorator's option. */
  option: T;
  /** The method, bound to its provider. */
  method: M;
}

/**
 * Every method marked with `decorator` on the application's providers (the singletons: a
 * request-scoped provider has no instance to call), with the option it was marked with.
 */
export function decoratedMethods<T, M>(discovery: DiscoveryService, scanner: MetadataScanner, decorator: DiscoverableDecorator<T>): DecoratedMethod<T, M>[] {
  return discovery.getProviders().flatMap((wrapper) => {
    const instance: unknown = wrapper.instance;
    if (!wrapper.isDependencyTreeStatic() || typeof instance !== 'object' || instance === null) return [];
    return scanner.getAllMethodNames(Object.getPrototypeOf(instance)).flatMap((name) => {
      const option = discovery.getMetadataByDecorator(decorator, wrapper, name) as T | undefined;
      if (option === undefined) return [];
      const method = (instance as Record<string, (...args: unknown[]) => unknown>)[name].bind(instance) as M;
      return [{ option, method }];
    });
  });
}
