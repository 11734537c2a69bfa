-- A closed day's bundle must hold the same rows whenever it is made (issue 13, item 5).
--
-- application_carry_overs: every business day a request was carried through, not only the last one
-- (applications.carried_from keeps just that, for the request's own screen). A day's export lists the
-- requests carried from it with the ticket they had THAT day and the status they were carried in.
CREATE TABLE application_carry_overs (
  application_id  INTEGER NOT NULL REFERENCES applications (id),
  from_date       TEXT NOT NULL,
  to_date         TEXT NOT NULL,
  -- The ticket on from_date. NULL only for a second or later carry made before this table existed.
  ticket_no       INTEGER,
  -- The request as it left from_date: its status, and the supervisor who had decided it by then.
  status          TEXT NOT NULL,
  authorizer_id   INTEGER REFERENCES tellers (id),
  -- The listed columns as the request left from_date (masked values only, as in applications), so a later
  -- edit does not change that day's bundle. Cleared with the request's personal data at the retention
  -- purge; NULL for carries made before this table.
  snapshot        TEXT CHECK (snapshot IS NULL OR json_valid(snapshot)),
  carried_at      TEXT NOT NULL,
  PRIMARY KEY (application_id, from_date)
) STRICT;

CREATE INDEX application_carry_overs_day ON application_carry_overs (from_date, ticket_no);

-- Earlier carries, from the audit log (every carry_over wrote one row with its dates and statuses). The
-- ticket of a request's first day is the one in its number (<branch>-[<desk>-]<YYYYMMDD>-<ticket>); a later day's ticket was not kept.
INSERT OR IGNORE INTO application_carry_overs (application_id, from_date, to_date, ticket_no, status, authorizer_id, carried_at)
SELECT CAST(l.entity_id AS INTEGER),
       json_extract(l.details, '$.fromDate'),
       json_extract(l.details, '$.toDate'),
       CASE WHEN json_extract(l.details, '$.fromDate') = (SELECT min(json_extract(e.details, '$.fromDate')) FROM audit_log e
                                                           WHERE e.action = 'application.carry_over' AND e.entity = 'application' AND e.entity_id = l.entity_id)
            -- The digits after the number's last '-' (either form: with or without the desk).
            THEN CAST(replace(a.number, rtrim(a.number, '0123456789'), '') AS INTEGER) END,
       coalesce(json_extract(l.details, '$.from'), a.status),
       NULL,
       l.at
  FROM audit_log l JOIN applications a ON a.id = CAST(l.entity_id AS INTEGER)
 WHERE l.action = 'application.carry_over' AND l.entity = 'application' AND json_extract(l.details, '$.fromDate') IS NOT NULL;

-- Export batch numbers per business day, from the database: a second export is the next batch wherever it
-- is written, and no two bundles of one day share a number. A row is written before the bundle's folder.
CREATE TABLE day_export_batches (
  business_date  TEXT NOT NULL,
  batch          INTEGER NOT NULL CHECK (batch >= 1),
  reserved_at    TEXT NOT NULL,
  reserved_by    INTEGER REFERENCES tellers (id),
  PRIMARY KEY (business_date, batch)
) STRICT;

INSERT OR IGNORE INTO day_export_batches (business_date, batch, reserved_at, reserved_by)
SELECT entity_id, json_extract(details, '$.batch'), at, actor_id
  FROM audit_log
 WHERE action = 'day.exported' AND entity = 'business_day' AND json_extract(details, '$.batch') >= 1;
