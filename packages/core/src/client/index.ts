/** The typed Fornex client: `createFornexClient`, its errors, hooks, retry policy and result types. */
export {
  createFornexClient,
  defaultBaseURL,
  type FornexClient,
  type FornexClientOptions,
} from './create-fornex-client.js';
export {
  FornexError,
  FornexErrorCode,
  type FornexErrorContext,
  isFornexError,
  type ValidationIssue,
} from './fornex-error.js';
export type { DnsRecordInput, DnsRecordUpdate, GroupedMethods, OrderId } from './grouped-methods.js';
export type {
  CallEvent,
  ClientHooks,
  ClientLogger,
  ErrorEvent,
  RequestEvent,
  ResponseEvent,
  RetryEvent,
} from './hooks.js';
export { createRedactor, REDACTED, type Redactor } from './redact.js';
export type {
  DedicatedPlan,
  DnsDomain,
  DnsRecord,
  DomainListRecord,
  HostingPlan,
  NormalizedResults,
  OkResult,
  Order,
  PasswdReset,
  SshKey,
} from './response/normalized-results.js';
export { defaultRetryPolicy, type RetryPolicy } from './retry-policy.js';
export type {
  EndpointParams,
  EndpointResult,
  RawResponse,
  RequestArgs,
  RequestFunction,
  RequestOptions,
  Ttl,
} from './types.js';
