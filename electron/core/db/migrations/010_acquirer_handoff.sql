-- migrate: edits sqlite_schema
-- Issue 15: after the slip (completed) the request goes to the acquirer, which takes it (forwarded) and later
-- does it (unbound) or cannot (unbind_failed, with its reason).

-- The three statuses after completed. Only the CHECK widens: every stored row already satisfies it, so the
-- table's definition is edited in place (see EDITS_SCHEMA_MARKER in migrations.ts) instead of rebuilt.
UPDATE sqlite_schema
   SET sql = replace(sql, '''completed'', ''rejected'', ''cancelled'')',
                          '''completed'', ''rejected'', ''cancelled'', ''forwarded'', ''unbound'', ''unbind_failed'')')
 WHERE type = 'table' AND name = 'applications';

-- The outbox: one entry per completed request, written in the transaction that completes it. The payload is
-- built then, sealed (AES-256-GCM, it holds personal data), and sent byte for byte on every attempt, so a
-- retry never says something else; the application number is the acquirer's idempotency key.
--   waiting  to be sent (again): next_attempt_at says when
--   sending  claimed by a dispatcher at claimed_at (a claim older than the lease is waiting again)
--   accepted the acquirer took it (acquirer_reference); its outcome is polled at next_poll_at
--   done     the outcome is recorded (or the acquirer refused the request: its reason is the outcome)
--   failed   given up after max attempts or on an answer that retrying cannot change; a supervisor retries
CREATE TABLE acquirer_outbox (
  application_id      INTEGER PRIMARY KEY REFERENCES applications (id),
  number              TEXT NOT NULL UNIQUE,
  payload_enc         BLOB,
  state               TEXT NOT NULL CHECK (state IN ('waiting', 'sending', 'accepted', 'done', 'failed')),
  channel             TEXT CHECK (channel IS NULL OR channel IN ('https', 'batch')),
  attempts            INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at     TEXT NOT NULL,
  claimed_at          TEXT,
  last_error          TEXT,
  created_at          TEXT NOT NULL,
  sent_at             TEXT,
  batch_file          TEXT,
  acquirer_reference  TEXT,
  polls               INTEGER NOT NULL DEFAULT 0,
  next_poll_at        TEXT,
  finished_at         TEXT
) STRICT;

CREATE INDEX acquirer_outbox_due ON acquirer_outbox (state, next_attempt_at);
CREATE INDEX acquirer_outbox_poll ON acquirer_outbox (next_poll_at) WHERE state = 'accepted';

-- Every outcome the acquirer gave, recorded on the business date it ARRIVED (a closed day's bundle never
-- changes). One per request: a second report of the same outcome is a harmless duplicate, a different one is
-- refused. The customer-notification module consumes these rows (notified_at) and tells each customer once.
CREATE TABLE outcome_events (
  id                  INTEGER PRIMARY KEY,
  application_id      INTEGER NOT NULL UNIQUE REFERENCES applications (id),
  number              TEXT NOT NULL,
  outcome             TEXT NOT NULL CHECK (outcome IN ('unbound', 'unbind_failed')),
  reason              TEXT CHECK (reason IS NULL OR length(reason) <= 200),
  acquirer_reference  TEXT CHECK (acquirer_reference IS NULL OR length(acquirer_reference) <= 64),
  decided_at          TEXT,
  business_date       TEXT NOT NULL,
  received_at         TEXT NOT NULL,
  source              TEXT NOT NULL CHECK (source IN ('https', 'batch')),
  notified_at         TEXT
) STRICT;

CREATE INDEX outcome_events_day ON outcome_events (business_date, id);
CREATE INDEX outcome_events_unnotified ON outcome_events (id) WHERE notified_at IS NULL;
