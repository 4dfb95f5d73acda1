import { MetadataError } from '../errors';
import { defineTableMetadata, getTableMetadata, type TableOptions } from '../metadata/table-metadata';

/**
 * Declares a schema class: its `@Column`s describe a DuckDB/Arrow table. Records the options and
 * nothing else; `compileTable` resolves and validates them.
 *
 * @example
 * @Table({ name: 'person' })
 * class Person {
 *   @Column({ primaryKey: true }) @IsInt() person_id!: number;
 *   @Column() @IsInt() @Min(0) age!: number;
 * }
 */
export function Table(options: TableOptions): ClassDecorator {
  if (typeof options !== 'object' || options === null || typeof options.name !== 'string' || !options.name) {
    throw MetadataError.invalidOption('@Table', 'name', 'expected a non-empty string');
  }
  return (target) => {
    if (getTableMetadata(target)) throw MetadataError.duplicateDecorator(target, '@Table');
    defineTableMetadata(target, { target, options: Object.freeze({ ...options }) });
  };
}
