import { openDatabase } from './open-database.ts';
import { defineRepositorySuite } from './repositories.suite.ts';

defineRepositorySuite('in-memory PGlite', () => openDatabase({}));
