-- Trigram matching for typo-tolerant lexical search; part of Postgres contrib and of PGlite.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
