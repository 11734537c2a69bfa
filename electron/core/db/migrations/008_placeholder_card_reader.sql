-- Placeholder on branch h-idcheck only: 008 belongs to the card reader (issue 14, part 1), built on another
-- branch. The merge replaces this file with that one; nothing here changes the schema.
SELECT 1;
