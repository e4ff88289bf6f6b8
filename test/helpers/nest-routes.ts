import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import type { AccessRule } from '../../src/tenancy/access.decorators';
import { accessRuleOf } from '../../src/tenancy/access.guard';

export interface NestRoute {
  /** `METHOD /path/:param` as Nest registered it. */
  route: string;
  method: string;
  path: string;
  /** `Controller.method` */
  handler: string;
  handlerFunction: Function;
  controller: Function;
  rule: AccessRule | undefined;
}

function joinPath(...parts: string[]): string {
  return `/${parts.join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
}

const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** Every handler of every controller the app registered, once per path it is served under, with its rule. */
export function nestRoutes(app: INestApplication): NestRoute[] {
  const reflector = new Reflector();
  const scanner = new MetadataScanner();
  return new DiscoveryService(app.get(ModulesContainer)).getControllers().flatMap(({ metatype }) => {
    const controller = metatype as new (...args: never[]) => object;
    const prototype = controller.prototype as Record<string, Function>;
    return scanner.getAllMethodNames(prototype).flatMap((name) => {
      const handler = prototype[name];
      const methodPath: string | string[] | undefined = Reflect.getMetadata(PATH_METADATA, handler);
      if (methodPath === undefined) return [];
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const paths = asList(Reflect.getMetadata(PATH_METADATA, controller) as string | string[]).flatMap((base) =>
        asList(methodPath).map((path) => joinPath(base, path)),
      );
      return paths.map((path) => ({
        route: `${method} ${path}`,
        method,
        path,
        handler: `${controller.name}.${name}`,
        handlerFunction: handler,
        controller,
        rule: accessRuleOf(reflector, handler, controller),
      }));
    });
  });
}
