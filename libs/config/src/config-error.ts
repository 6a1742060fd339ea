export interface ConfigProblem {
  variable: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
