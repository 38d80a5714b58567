/**
 * @fornex-flow/core: the Fornex API contract (one table, 37 endpoints), and later the typed
 * client and the durable workflow engine built on it.
 */
export * from './api/index.js';
export * from './client/index.js';
export * from './engine/index.js';
