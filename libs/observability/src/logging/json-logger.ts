import { ConsoleLogger, type LogLevel } from '@nestjs/common';

const ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** One JSON object a line on stdout, tagged with the service, for any log shipper. */
export function createJsonLogger(service: string, level: LogLevel = 'log'): ConsoleLogger {
  return new ConsoleLogger(service, {
    json: true,
    colors: false,
    logLevels: ORDER.slice(0, ORDER.indexOf(level) + 1),
  });
}
