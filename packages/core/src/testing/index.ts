/**
 * @fornex-flow/core/testing: what a store implementation tests itself with (needs vitest).
 * `describeStoreConformance(name, makeStore)` declares the suite every WorkflowStore must pass.
 */

export { canMountSmallDisk, fillDisk, mountSmallDisk, unmountSmallDisks } from './small-disk.js';
export { describeStoreConformance, type StoreUnderTest } from './store-conformance.js';
