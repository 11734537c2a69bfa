-- Tellers, business days, the application queue, supervisor authorizations and the audit log.

CREATE TABLE tellers (
  id                    INTEGER PRIMARY KEY,
  employee_no           TEXT NOT NULL UNIQUE CHECK (length(employee_no) BETWEEN 1 AND 20),
  name                  TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  role                  TEXT NOT NULL CHECK (role IN ('teller', 'supervisor', 'admin')),
  password_hash         TEXT NOT NULL,
  must_change_password  INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
  failed_attempts       INTEGER NOT NULL DEFAULT 0,
  locked_until          TEXT,
  disabled              INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at            TEXT NOT NULL,
  updated_at            TEXT NOT NULL
) STRICT;

CREATE TABLE business_days (
  business_date  TEXT PRIMARY KEY,
  status         TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  opened_at      TEXT NOT NULL,
  closed_at      TEXT,
  closed_by      INTEGER REFERENCES tellers (id),
  reopen_count   INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE applications (
  id                      INTEGER PRIMARY KEY,
  number                  TEXT NOT NULL UNIQUE,
  business_date           TEXT NOT NULL,
  ticket_no               INTEGER NOT NULL,
  status                  TEXT NOT NULL CHECK (status IN
                            ('waiting', 'in_review', 'pending_authorization', 'approved', 'completed', 'rejected', 'cancelled')),
  version                 INTEGER NOT NULL DEFAULT 1,
  channel                 TEXT NOT NULL DEFAULT 'counter' CHECK (channel IN ('counter', 'online', 'hotline')),
  created_by              INTEGER NOT NULL REFERENCES tellers (id),
  keyed_by                INTEGER REFERENCES tellers (id),
  created_at              TEXT NOT NULL,
  updated_at              TEXT NOT NULL,
  submitted_at            TEXT,
  completed_at            TEXT,
  carried_from            TEXT,
  -- The whole request as submitted, AES-256-GCM (personal data); columns below are what lists and searches need.
  request_enc             BLOB,
  applicant_name_masked   TEXT,
  document_type           TEXT,
  document_number_masked  TEXT,
  document_number_bidx    BLOB,
  mobile_masked           TEXT,
  mobile_bidx             BLOB,
  new_mobile_masked       TEXT,
  new_mobile_bidx         BLOB,
  merchant_number         TEXT,
  terminal_id             TEXT,
  terminal_serial         TEXT,
  reason_code             TEXT,
  verification_method     TEXT,
  online_check            TEXT,
  authorization_reasons   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(authorization_reasons)),
  authorizer_id           INTEGER REFERENCES tellers (id),
  outcome_reason          TEXT,
  signature_enc           BLOB,
  signature_sha256        TEXT,
  UNIQUE (business_date, ticket_no)
) STRICT;

CREATE INDEX applications_board ON applications (business_date, status, id DESC);
CREATE INDEX applications_by_day ON applications (business_date, id DESC);
CREATE INDEX applications_document ON applications (document_number_bidx) WHERE document_number_bidx IS NOT NULL;
CREATE INDEX applications_mobile ON applications (mobile_bidx) WHERE mobile_bidx IS NOT NULL;
CREATE INDEX applications_new_mobile ON applications (new_mobile_bidx) WHERE new_mobile_bidx IS NOT NULL;
CREATE INDEX applications_merchant ON applications (merchant_number, business_date) WHERE merchant_number IS NOT NULL;
CREATE INDEX applications_terminal ON applications (terminal_id) WHERE terminal_id IS NOT NULL;
CREATE INDEX applications_serial ON applications (terminal_serial, business_date) WHERE terminal_serial IS NOT NULL;

-- A supervisor's authorization: bound to one action on one application (or none, e.g. a day reopen),
-- for the session that asked; single use, short expiry.
CREATE TABLE authorizations (
  id              INTEGER PRIMARY KEY,
  action          TEXT NOT NULL,
  application_id  INTEGER REFERENCES applications (id),
  business_date   TEXT,
  supervisor_id   INTEGER NOT NULL REFERENCES tellers (id),
  requested_by    INTEGER NOT NULL REFERENCES tellers (id),
  session_key     TEXT NOT NULL,
  reason_codes    TEXT NOT NULL CHECK (json_valid(reason_codes)),
  note            TEXT,
  created_at      TEXT NOT NULL,
  expires_at      TEXT NOT NULL,
  used_at         TEXT
) STRICT;

CREATE INDEX authorizations_application ON authorizations (application_id);

-- Append-only, hash-chained: hash = SHA-256(prev_hash || canonical row). Never plaintext personal data.
CREATE TABLE audit_log (
  seq          INTEGER PRIMARY KEY,
  at           TEXT NOT NULL,
  actor_id     INTEGER,
  action       TEXT NOT NULL,
  entity       TEXT NOT NULL,
  entity_id    TEXT,
  details      TEXT NOT NULL CHECK (json_valid(details)),
  prev_hash    TEXT NOT NULL,
  hash         TEXT NOT NULL
) STRICT;

CREATE INDEX audit_entity ON audit_log (entity, entity_id, seq);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Every slip issued: the first print completes the request; reprints need a supervisor.
CREATE TABLE receipts (
  id                INTEGER PRIMARY KEY,
  application_id    INTEGER NOT NULL REFERENCES applications (id),
  print_no          INTEGER NOT NULL CHECK (print_no >= 1),
  issued_at         TEXT NOT NULL,
  issued_by         INTEGER NOT NULL REFERENCES tellers (id),
  authorization_id  INTEGER REFERENCES authorizations (id),
  file_name         TEXT NOT NULL,
  sha256            TEXT NOT NULL,
  bytes             INTEGER NOT NULL,
  UNIQUE (application_id, print_no)
) STRICT;
