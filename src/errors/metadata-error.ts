import { ConsistError } from './consist-error';

type Named = { name: string } | string;
const nameOf = (t: Named): string => (typeof t === 'string' ? t : t.name || '<anonymous class>');

/** Codes of {@link MetadataError}. */
export type MetadataErrorCode =
  | 'METADATA_MISSING_DECORATOR'
  | 'METADATA_DUPLICATE_DECORATOR'
  | 'METADATA_DUPLICATE_KEY'
  | 'METADATA_INVALID_OPTION'
  | 'METADATA_UNBOUND_PARAMETER'
  | 'METADATA_UNKNOWN_TABLE';

/** A decorated class is incomplete or contradictory; raised when it is compiled. */
export class MetadataError extends ConsistError<MetadataErrorCode> {
  constructor(readonly code: MetadataErrorCode, message: string, details?: Record<string, unknown>) {
    super(message, { details });
  }

  static missingDecorator(target: Named, decorator: string): MetadataError {
    return new MetadataError('METADATA_MISSING_DECORATOR',
      `${nameOf(target)} is not decorated with ${decorator}. Add ${decorator}(…) above the class declaration.`,
      { target: nameOf(target), decorator });
  }
  static duplicateDecorator(target: Named, decorator: string): MetadataError {
    return new MetadataError('METADATA_DUPLICATE_DECORATOR',
      `${nameOf(target)} is decorated with ${decorator} twice. Keep one.`, { target: nameOf(target), decorator });
  }
  static duplicateKey(target: Named, kind: string, key: string): MetadataError {
    return new MetadataError('METADATA_DUPLICATE_KEY',
      `${nameOf(target)} declares the ${kind} '${key}' more than once. Give each ${kind} a unique key.`,
      { target: nameOf(target), kind, key });
  }
  static invalidOption(target: Named, option: string, why: string): MetadataError {
    return new MetadataError('METADATA_INVALID_OPTION',
      `${nameOf(target)}: invalid option '${option}': ${why}`, { target: nameOf(target), option });
  }
  static unboundParameter(target: Named, method: string, index: number): MetadataError {
    return new MetadataError('METADATA_UNBOUND_PARAMETER',
      `Cannot bind the parameter at position #${index} of ${nameOf(target)}.${method}(): ` +
        `decorate it with @Input('<key>') or type it as StepContext.`,
      { target: nameOf(target), method, index });
  }
  static unknownTable(target: Named, what: string): MetadataError {
    return new MetadataError('METADATA_UNKNOWN_TABLE',
      `${nameOf(target)} refers to ${what}, which is not a @Table class. Decorate it with @Table({ name }).`,
      { target: nameOf(target) });
  }
}
