/** Injection token of the configured TimelineSources. */
export const TIMELINE_SOURCES = Symbol('TIMELINE_SOURCES');
