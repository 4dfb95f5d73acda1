/** Current time as an ISO-8601 string with milliseconds. @internal */
export const isoNow = (): string => new Date().toISOString();
