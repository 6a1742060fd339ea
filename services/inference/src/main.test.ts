import { fileURLToPath } from 'node:url';
import { describeServiceLifecycle } from '@ttt/observability/testing';

describeServiceLifecycle('inference', fileURLToPath(new URL('../dist/main.js', import.meta.url)));
