import { DynamicModule, Inject, Injectable, Module } from '@nestjs/common';

/** An entity class, as TypeORM's `entities` option takes it. */
export type EntityClass = Function;

/**
 * The mapped entities of the modules this process runs, each registered by the module that owns
 * the table (EntitiesModule.forFeature), so the data source maps exactly those without the
 * database layer knowing any feature. The migrations need none: they are plain SQL.
 */
@Injectable()
export class EntityRegistry {
  private readonly entities = new Set<EntityClass>();

  register(entities: readonly EntityClass[]): void {
    for (const entity of entities) this.entities.add(entity);
  }

  get all(): EntityClass[] {
    return [...this.entities];
  }
}

const FEATURE_ENTITIES = Symbol('FEATURE_ENTITIES');

@Injectable()
class EntityRegistration {
  constructor(registry: EntityRegistry, @Inject(FEATURE_ENTITIES) entities: readonly EntityClass[]) {
    registry.register(entities);
  }
}

/** A module's entities, registered with the data source before it starts (as TypeOrmModule.forFeature would). */
@Module({})
export class EntitiesModule {
  static forFeature(entities: readonly EntityClass[]): DynamicModule {
    return {
      module: EntitiesModule,
      providers: [{ provide: FEATURE_ENTITIES, useValue: entities }, EntityRegistration],
    };
  }
}
