import 'reflect-metadata';

/** A typed metadata key: reads through it return `T`. */
declare const brand: unique symbol;
export type MetadataKey<T> = symbol & { readonly [brand]: T };

/** Any class. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Constructor<T = unknown> = abstract new (...args: any[]) => T;

const key = <T>(name: string) => Symbol.for(`consist:${name}`) as MetadataKey<T>;

/** Creates (or returns the shared) key `Symbol.for('consist:<name>')`. @internal */
export const metadataKey = key;

/** Own metadata of `target` under `k`, or undefined. The only read of Reflect metadata in the library. @internal */
export function readOwn<T>(k: MetadataKey<T>, target: object): T | undefined {
  return Reflect.getOwnMetadata(k, target) as T | undefined;
}

/** Stores frozen metadata on `target`. The only write of Reflect metadata in the library. @internal */
export function writeOwn<T>(k: MetadataKey<T>, target: object, value: T): void {
  Reflect.defineMetadata(k, Object.freeze(value), target);
}

/** TypeScript's emitted parameter types of `target.prototype[method]` (or the constructor). @internal */
export function parameterTypes(target: Function, method?: string): readonly unknown[] | undefined {
  return method === undefined
    ? (Reflect.getMetadata('design:paramtypes', target) as unknown[] | undefined)
    : (Reflect.getMetadata('design:paramtypes', target.prototype, method) as unknown[] | undefined);
}

/** TypeScript's emitted type of a property. Never trust it for enums, unions or interfaces. @internal */
export function propertyType(prototype: object, property: string): unknown {
  return Reflect.getMetadata('design:type', prototype, property);
}
