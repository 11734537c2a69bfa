-- 联网核查 transaction numbers are reserved before the middleware is called (review finding): the core first
-- records a 'pending' check (which holds its number, so two checks at once or a check after a crash never send
-- the same number), then calls, then writes the answer into that row. A pending row has no answer yet.
CREATE TABLE identity_checks_new (
  id                  INTEGER PRIMARY KEY,
  application_id      INTEGER NOT NULL REFERENCES applications (id),
  transaction_no      TEXT NOT NULL UNIQUE,
  requested_by        INTEGER NOT NULL REFERENCES tellers (id),
  requested_at        TEXT NOT NULL,
  answered_at         TEXT,
  subject_bidx        BLOB NOT NULL,
  outcome             TEXT NOT NULL CHECK (outcome IN ('pending', 'answered', 'not_checked')),
  result_code         TEXT CHECK (result_code IN ('00', '01', '02', '03', '04', '05')),
  not_checked_reason  TEXT,
  serial              TEXT,
  photo_sha256        TEXT,
  CHECK ((outcome = 'answered') = (result_code IS NOT NULL AND serial IS NOT NULL)),
  CHECK ((outcome = 'pending') = (answered_at IS NULL))
) STRICT;

INSERT INTO identity_checks_new SELECT id, application_id, transaction_no, requested_by, requested_at, answered_at, subject_bidx,
  outcome, result_code, not_checked_reason, serial, photo_sha256 FROM identity_checks;
DROP TABLE identity_checks;
ALTER TABLE identity_checks_new RENAME TO identity_checks;
CREATE INDEX identity_checks_application ON identity_checks (application_id, id);
