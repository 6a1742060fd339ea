import { fileURLToPath } from 'node:url';
import { describeServiceLifecycle } from '@ttt/observability/testing';

describeServiceLifecycle('game-api', fileURLToPath(new URL('../dist/main.js', import.meta.url)));
