-- Load speed (issue 17) and repeats across installations.
--
-- 1. The request key leads with the bundle's own (branch, desk, business day), so one index probe tells whether
--    a bundle can conflict with anything loaded (a conflict needs the same branch, desk and day): when nothing of
--    that desk and day is there, the rows go in by a plain INSERT, without ON CONFLICT's per-row speculative work.
--    The same columns: ON CONFLICT (…) still finds it.
ALTER TABLE headoffice.requests DROP CONSTRAINT requests_pkey;
ALTER TABLE headoffice.requests ADD PRIMARY KEY (branch_code, desk, business_date, installation, application_number);

-- 2. No B-tree on merchant number and SN: random keys, two per row, were most of a load's index work. Repeats
--    are found once per consolidate run instead, set-based (a hash join of the run's new rows against the
--    window's), for every batch the ledger marks pending; a run that stopped half-way leaves its batches pending
--    and the next run finds their pairs.
DROP INDEX headoffice.requests_merchant;
DROP INDEX headoffice.requests_serial;
ALTER TABLE headoffice.batches ADD COLUMN repeats_pending boolean NOT NULL DEFAULT false;
CREATE INDEX batches_repeats_pending ON headoffice.batches (id) WHERE repeats_pending;

-- 3. Which desk each side of a pair came from: two desks of one branch are two installations, and a merchant who
--    tried two counters of one branch is now found too (the report tells it from one who tried two branches).
ALTER TABLE headoffice.repeat_matches ADD COLUMN desk text, ADD COLUMN other_desk text;
UPDATE headoffice.repeat_matches m SET
  desk = coalesce((SELECT r.desk FROM headoffice.requests r WHERE r.branch_code = m.branch_code AND r.business_date = m.business_date AND r.application_number = m.application_number ORDER BY r.desk LIMIT 1), '00'),
  other_desk = coalesce((SELECT r.desk FROM headoffice.requests r WHERE r.branch_code = m.other_branch AND r.business_date = m.other_date AND r.application_number = m.other_application ORDER BY r.desk LIMIT 1), '00');
ALTER TABLE headoffice.repeat_matches ALTER COLUMN desk SET NOT NULL, ALTER COLUMN other_desk SET NOT NULL;
-- Pairs of two desks of one branch were never searched before: everything loaded is searched again by the next
-- consolidate (pairs already found stay as they are).
UPDATE headoffice.batches SET repeats_pending = true;
