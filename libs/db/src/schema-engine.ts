export { migrationList, noFilters, openSchemaEngine, type SchemaEngine } from './migrate/prisma-schema-engine.js';
