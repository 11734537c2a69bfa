-- The counter (desk) number of this installation within its branch: two digits, 01–99. It is part of every
-- application number (<branch>-<desk>-<YYYYMMDD>-<seq>) and bundle name, so two desks of one branch never
-- issue the same number. An installation set up before this migration has none (NULL): its admin is asked
-- for it at the next start, and no new request is numbered until it is set. Requests already numbered keep
-- their numbers (<branch>-<YYYYMMDD>-<seq>).
ALTER TABLE branch_profile ADD COLUMN desk TEXT CHECK (desk IS NULL OR (length(desk) = 2 AND desk GLOB '[0-9][0-9]' AND desk <> '00'));
