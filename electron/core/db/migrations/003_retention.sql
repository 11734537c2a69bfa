-- Retention (DOMAIN.md "Personal information"): past the retention years a request keeps its business
-- record (number, dates, status, POS identifiers, who did what) and loses its personal data. purged_at
-- says when; the audit log, which never held personal data, keeps its every row.
ALTER TABLE applications ADD COLUMN purged_at TEXT;
ALTER TABLE receipts ADD COLUMN purged_at TEXT;
-- Set once the sealed slip file is gone from the data folder (removed after the purge commits).
ALTER TABLE receipts ADD COLUMN file_removed_at TEXT;

CREATE INDEX applications_retention ON applications (business_date) WHERE purged_at IS NULL;
CREATE INDEX receipts_files_to_remove ON receipts (id) WHERE purged_at IS NOT NULL AND file_removed_at IS NULL;
