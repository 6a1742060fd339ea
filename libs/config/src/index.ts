export { baseEnvSchema, portSchema } from './env-schema.js';
export { loadConfig } from './load-config.js';
export { ConfigError, type ConfigProblem } from './config-error.js';
export { loadConfigOrExit } from './load-config-or-exit.js';
export { artifactEnvSchema, type ArtifactEnv } from './artifact-env-schema.js';
export { parseCliArgs } from './cli-args.js';
