/** The error classes live in the leaf `src/core/errors.ts`; re-exported here for the readers' convenience. */
export * from '../core/errors';
