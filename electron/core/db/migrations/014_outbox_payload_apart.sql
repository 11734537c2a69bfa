-- Issue 15 (the hand-off benchmark): every answer from the acquirer rewrites its outbox entry (state, attempts,
-- times), and each entry carried its sealed request (~700 bytes) in the same row, so each write rewrote a page
-- holding four or five entries. The sealed request is written once and read at each attempt: it moves to a table
-- of its own, keyed like the entry, and the entry row shrinks to its bookkeeping (about 20 to a page).
CREATE TABLE acquirer_outbox_payload (
  application_id  INTEGER PRIMARY KEY REFERENCES acquirer_outbox (application_id),
  payload_enc     BLOB NOT NULL
) STRICT;

INSERT INTO acquirer_outbox_payload (application_id, payload_enc)
  SELECT application_id, payload_enc FROM acquirer_outbox WHERE payload_enc IS NOT NULL;

-- The due-queue index held every entry ever made, by state; the dispatcher walks only the waiting ones, so only
-- they are in it (an entry leaves it when it is sent, instead of moving to another part of it). A claim in state
-- 'sending' was written only by versions before the dispatcher kept its claims in memory: any left is a send that
-- was in flight when such a version stopped, waiting again here as that version's start would have made it.
UPDATE acquirer_outbox SET state = 'waiting', claimed_at = NULL WHERE state = 'sending';
DROP INDEX acquirer_outbox_due;
CREATE INDEX acquirer_outbox_due ON acquirer_outbox (next_attempt_at) WHERE state = 'waiting';

ALTER TABLE acquirer_outbox DROP COLUMN payload_enc;
