import { bootstrapService } from '@ttt/observability';
import { AppModule } from './app.module.js';
import { envSchema } from './config.js';

await bootstrapService({ name: 'scraper', envSchema, module: (config) => AppModule.forRoot(config) });
