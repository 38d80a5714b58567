/**
 * @fornex-flow/core: the Fornex API contract (one table, 37 endpoints), the typed client over it,
 * and the durable workflow engine whose steps call it.
 */
export * from './api/index.js';
export * from './client/index.js';
export * from './engine/index.js';
