import { MetadataError } from '../errors';
import { addColumnMetadata, type ColumnOptions } from '../metadata/table-metadata';

/**
 * Declares a column of a `@Table` class. The DuckDB type comes from `type`, else from the
 * TypeScript type (`number` → DOUBLE, or BIGINT with class-validator's `@IsInt()`; `string` →
 * VARCHAR; `boolean` → BOOLEAN; `Date` → TIMESTAMP). Enums, unions and interfaces need `type`.
 *
 * @example
 * @Column({ type: 'DOUBLE' }) number_of_trips!: number;
 */
export function Column(options: ColumnOptions = {}): PropertyDecorator {
  if (typeof options !== 'object' || options === null) throw MetadataError.invalidOption('@Column', 'options', 'expected an object');
  if (options.type !== undefined && (typeof options.type !== 'string' || !options.type.trim())) {
    throw MetadataError.invalidOption('@Column', 'type', 'expected a DuckDB type name such as BIGINT');
  }
  return (target, property) => {
    if (typeof property !== 'string') throw MetadataError.invalidOption(target.constructor, '@Column', 'symbol properties cannot be columns');
    addColumnMetadata(target.constructor, { property, options });
  };
}
