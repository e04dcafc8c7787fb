import { openDatabase } from './open-database.ts';
import { defineRepositorySuite } from './repositories.suite.ts';
import { defineTenantIsolationSuite } from './tenant-isolation.suite.ts';

defineRepositorySuite('in-memory PGlite', () => openDatabase({}));
defineTenantIsolationSuite('in-memory PGlite', () => openDatabase({}));
