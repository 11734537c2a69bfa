-- Placeholder on branch h-notify only: numbers 008-010 belong to other branches of issue 15's work.
-- The merge deletes this file (the real 009 comes from its own branch).
SELECT 1;
