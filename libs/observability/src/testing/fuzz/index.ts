export { Rng, fuzzSeed, hash32 } from './prng.js';
export { type JsonSchema, isValid, exampleOf, slotsOf } from './json-schema.js';
export { NASTY_STRINGS, RAW_NUMBER_TOKENS, HOSTILE_KEYS, WRONG_CONTENT_TYPES, nastyString, randomString, mutateBody, brokenJson, wrongShapeJson, hugeJson, toJsonText } from './malformed.js';
export { type FuzzRequest, type FuzzResponse, type FuzzFailure, FuzzTally, sendRaw, runFuzz, problemsWith, describeFailure, closeFuzzAgents } from './http.js';
export {
  type RouteKey,
  type OpenApiRoute,
  type FuzzRoute,
  type FuzzContext,
  type Refusal,
  routeKey,
  routesFromNestLog,
  routesFromOpenApi,
  fromOpenApiPath,
  fuzzRequests,
  garbageSegment,
  garbageQuery,
  coverageGaps,
} from './routes.js';
export { nestMiddlewareMounts, uncoveredMounts } from './mounts.js';
export { type Queryable, type RedisLike, snapshotTables, snapshotQueues, settledSnapshot, snapshotDiff } from './snapshots.js';
export { healthWatch } from './health-watch.js';
