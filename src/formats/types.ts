/** The contract types live in the leaf `src/core/types.ts`; this path stays because DESIGN.md and tests name it. */
export * from '../core/types';
