import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { currentRequestId } from '@ttt/contracts';

const ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

type JsonLogOptions = Parameters<ConsoleLogger['getJsonLogObject']>[1];

/**
 * One JSON object a line, tagged with the service and, while a request or a job is being
 * served, its request id: the same id in every service and job the request reaches, so one
 * search finds its whole story.
 */
class JsonLogger extends ConsoleLogger {
  constructor(
    service: string,
    level: LogLevel,
    private readonly serviceName = service,
  ) {
    super(service, { json: true, colors: false, logLevels: ORDER.slice(0, ORDER.indexOf(level) + 1) });
  }

  protected override getJsonLogObject(message: unknown, options: JsonLogOptions) {
    const object = super.getJsonLogObject(message, options);
    object.service = this.serviceName;
    const requestId = currentRequestId();
    if (requestId !== undefined) object.requestId = requestId;
    return object;
  }
}

export function createJsonLogger(service: string, level: LogLevel = 'log'): ConsoleLogger {
  return new JsonLogger(service, level);
}
