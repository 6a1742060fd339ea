export { freePort } from './testing/free-port.js';
export { startServiceProcess, runServiceToExit, type RunningService, type ExitedService } from './testing/service-process.js';
export { describeServiceLifecycle } from './testing/describe-service-lifecycle.js';
export * from './testing/fuzz/index.js';
