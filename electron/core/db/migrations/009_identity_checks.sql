-- 联网核查 as evidence (issue 14): every call the core made to the bank's middleware, with what came back.
-- No personal data: the subject is a keyed hash (HMAC, the blind-index key) of document type, number and name,
-- which ties the evidence to the request that uses it; the registered photo is never stored, only its SHA-256.
CREATE TABLE identity_checks (
  id                  INTEGER PRIMARY KEY,
  application_id      INTEGER NOT NULL REFERENCES applications (id),
  -- Our own transaction number, sent to the middleware and echoed back: unique across the bank.
  transaction_no      TEXT NOT NULL UNIQUE,
  requested_by        INTEGER NOT NULL REFERENCES tellers (id),
  requested_at        TEXT NOT NULL,
  answered_at         TEXT NOT NULL,
  subject_bidx        BLOB NOT NULL,
  outcome             TEXT NOT NULL CHECK (outcome IN ('answered', 'not_checked')),
  result_code         TEXT CHECK (result_code IN ('00', '01', '02', '03', '04', '05')),
  not_checked_reason  TEXT,
  serial              TEXT,
  photo_sha256        TEXT,
  CHECK ((outcome = 'answered') = (result_code IS NOT NULL AND serial IS NOT NULL))
) STRICT;

CREATE INDEX identity_checks_application ON identity_checks (application_id, id);

-- Where the request's online-check result came from ('online': the core holds the answer; 'keyed': the teller
-- picked it), the evidence row it rests on, and the other document a supervisor saw on a 02/03 result.
ALTER TABLE applications ADD COLUMN online_check_source TEXT CHECK (online_check_source IN ('online', 'keyed'));
-- (No REFERENCES clause: a column added with one could never be dropped again; the core writes only ids it inserted.)
ALTER TABLE applications ADD COLUMN identity_check_id INTEGER;
ALTER TABLE applications ADD COLUMN other_document TEXT;
