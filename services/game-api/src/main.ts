import { bootstrapService } from '@ttt/observability';
import { AppModule } from './app.module.js';
import { envSchema } from './config.js';
import { createHttpAdapter } from './http/http-adapter.js';

await bootstrapService({ name: 'game-api', envSchema, module: (config) => AppModule.forRoot(config), httpAdapter: createHttpAdapter() });
