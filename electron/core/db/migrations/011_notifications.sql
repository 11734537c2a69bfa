-- Telling the customer the acquirer's outcome (issue 15, "Telling the customer").
--
-- notification_messages: one row per request and outcome (UNIQUE: a customer is never told the same outcome
-- twice, whatever restarts happen). The row is written in the transaction that records the outcome; a worker
-- delivers it afterwards. Nothing personal is stored here: the address is read from the sealed request at
-- sending time, and `answer` holds the channel's own reply (SMTP response, SMS platform id or error code).
CREATE TABLE notification_messages (
  id               INTEGER PRIMARY KEY,
  application_id   INTEGER NOT NULL REFERENCES applications (id),
  outcome          TEXT NOT NULL CHECK (outcome IN ('unbound', 'unbind_failed')),
  channel          TEXT NOT NULL CHECK (channel IN ('sms', 'email', 'phone')),
  template         TEXT NOT NULL,
  language         TEXT NOT NULL CHECK (language IN ('zh-CN', 'en')),
  -- The acquirer's reason (a code or its short text), for the failed outcome; never personal data.
  reason           TEXT,
  -- Sent with every attempt (SMS body and header, e-mail Message-ID): random, so unique across the bank.
  idempotency_key  TEXT NOT NULL UNIQUE,
  business_date    TEXT NOT NULL,
  -- pending: to send; sending: handed to the channel, answer not yet recorded; sent; failed: given up (a
  -- call task was made); phone: the channel is a call (the call task is the message).
  status           TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'phone')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT,
  answer           TEXT,
  created_at       TEXT NOT NULL,
  sent_at          TEXT,
  updated_at       TEXT NOT NULL,
  UNIQUE (application_id, outcome)
) STRICT;

CREATE INDEX notification_messages_due ON notification_messages (status, next_attempt_at);

-- A call a teller makes: the request asked for a phone call, or a message could not be delivered.
CREATE TABLE call_tasks (
  id               INTEGER PRIMARY KEY,
  application_id   INTEGER NOT NULL REFERENCES applications (id),
  message_id       INTEGER NOT NULL UNIQUE REFERENCES notification_messages (id),
  cause            TEXT NOT NULL CHECK (cause IN ('phone_channel', 'delivery_failed')),
  -- open: to call on or after due_date; closed with the last result.
  status           TEXT NOT NULL CHECK (status IN ('open', 'reached', 'wrong_number', 'declined', 'gave_up')),
  due_date         TEXT NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  last_result      TEXT CHECK (last_result IS NULL OR last_result IN ('reached', 'no_answer', 'wrong_number', 'declined')),
  last_called_by   INTEGER REFERENCES tellers (id),
  last_called_at   TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;

CREATE INDEX call_tasks_due ON call_tasks (status, due_date);
