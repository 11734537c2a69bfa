-- Sign-in failures for employee numbers that have no account: counted and locked like an account's own
-- (tellers.failed_attempts / locked_until), so a refusal tells nothing about whether the number exists.
CREATE TABLE credential_failures (
  employee_no      TEXT PRIMARY KEY COLLATE NOCASE,
  failed_attempts  INTEGER NOT NULL DEFAULT 0,
  locked_until     TEXT,
  updated_at       TEXT NOT NULL
) STRICT;

-- Who made an account and who last set its password (an admin knows that password until it is changed):
-- a supervisor never authorizes for either of them.
ALTER TABLE tellers ADD COLUMN created_by INTEGER REFERENCES tellers (id);
ALTER TABLE tellers ADD COLUMN password_reset_by INTEGER REFERENCES tellers (id);

UPDATE tellers SET created_by = (
  SELECT actor_id FROM audit_log
  WHERE entity = 'teller' AND action = 'teller.created' AND entity_id = CAST(tellers.id AS TEXT)
  ORDER BY seq LIMIT 1
);
UPDATE tellers SET password_reset_by = (
  SELECT actor_id FROM audit_log
  WHERE entity = 'teller' AND action = 'teller.password_reset' AND entity_id = CAST(tellers.id AS TEXT)
  ORDER BY seq DESC LIMIT 1
);

-- An account that can authorize or administer was created, had its password reset, or was given such a role:
-- shown to the next other supervisor who logs in, who then knows to ask about it.
CREATE TABLE account_notices (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('created', 'password_reset', 'role_changed')),
  subject_id  INTEGER NOT NULL REFERENCES tellers (id),
  role        TEXT NOT NULL CHECK (role IN ('teller', 'supervisor', 'admin')),
  by_id       INTEGER NOT NULL REFERENCES tellers (id),
  at          TEXT NOT NULL,
  shown_to    INTEGER REFERENCES tellers (id),
  shown_at    TEXT
) STRICT;

CREATE INDEX account_notices_unshown ON account_notices (id) WHERE shown_to IS NULL;
