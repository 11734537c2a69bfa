-- Placeholder on branch h-acquirer only: numbers 008 and 009 belong to other branches, and the runner refuses
-- a gap before 010. The merge drops this file and keeps theirs.
SELECT 1;
