export { migrationList, noFilters, openSchemaEngine, type OpenSchemaEngine, type SchemaEngine } from './migrate/prisma-schema-engine.js';
