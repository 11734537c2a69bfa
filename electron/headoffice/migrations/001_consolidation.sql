-- Head office's consolidation schema (PostgreSQL). Everything lives in the schema `headoffice`, so the bank
-- can give it a database of its own or share one. Masked data only: full-data.csv is never loaded.

-- Each desk's installation key (the Ed25519 public key `public-key` prints at the counter).
CREATE TABLE headoffice.desk_keys (
  id            bigserial PRIMARY KEY,
  branch_code   text NOT NULL CHECK (branch_code ~ '^[0-9A-Za-z]{1,32}$'),
  desk          text NOT NULL CHECK (desk ~ '^[0-9]{2}$'),
  -- SHA-256 (hex) of the key's DER SubjectPublicKeyInfo.
  fingerprint   text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  public_key    text NOT NULL,
  valid_from    date NOT NULL,
  revoked_at    timestamptz,
  registered_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (branch_code, desk, fingerprint)
);

-- One row per bundle loaded. The same bundle twice is one row; two different bundles under one name are refused.
CREATE TABLE headoffice.batches (
  id               bigserial PRIMARY KEY,
  branch_code      text NOT NULL,
  desk             text NOT NULL,
  business_date    date NOT NULL,
  batch            integer NOT NULL CHECK (batch > 0),
  manifest_sha256  text NOT NULL,
  format           text NOT NULL,
  key_fingerprint  text NOT NULL,
  -- Which installation a batch name belongs to: for format 2 (desk 00) the signing key, since two branch PCs set
  -- up before desks were numbered both write <branch>_<YYYYMMDD>_<batch>; '' for a numbered desk.
  installation     text NOT NULL,
  audit_seq        bigint NOT NULL,
  audit_hash       text NOT NULL,
  rows_stated      integer NOT NULL,
  rows_added       integer NOT NULL,
  folder           text NOT NULL,
  loaded_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (branch_code, desk, installation, business_date, batch, manifest_sha256)
);
CREATE UNIQUE INDEX batches_one_per_name ON headoffice.batches (branch_code, desk, installation, business_date, batch);

-- Bundles refused, with the reason; they loaded nothing.
CREATE TABLE headoffice.quarantine (
  id              bigserial PRIMARY KEY,
  folder          text NOT NULL,
  reason          text NOT NULL,
  detail          text NOT NULL,
  branch_code     text,
  desk            text,
  business_date   date,
  batch           integer,
  manifest_sha256 text,
  at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX quarantine_at ON headoffice.quarantine (at);

-- The day's requests as each desk's applications.csv shows them at day close (masked), one row per request
-- per business day it appeared in (a carried-over request appears again, with its status of that day).
-- Partitioned by business month; partitions are created by the load as months arrive.
CREATE TABLE headoffice.requests (
  application_number     text NOT NULL,
  business_date          date NOT NULL,
  branch_code            text NOT NULL,
  desk                   text NOT NULL,
  -- For a number of the form before desks (<branch>-<YYYYMMDD>-<seq>, which two pre-desk PCs of one branch both
  -- issue) the signing key of its bundle; '' for a desk-numbered one (unique by its number).
  installation           text NOT NULL,
  batch_id               bigint NOT NULL,
  ticket_no              integer,
  status                 text NOT NULL,
  channel                text,
  created_at             timestamp,
  completed_at           timestamp,
  applicant_name_masked  text,
  document_type          text,
  document_number_masked text,
  mobile_masked          text,
  new_mobile_masked      text,
  merchant_number        text,
  terminal_id            text,
  terminal_serial        text,
  reason                 text,
  reason_text            text,
  verification_method    text,
  online_check           text,
  authorization_reasons  text,
  authorization_decision text,
  authorizer_no          text,
  teller_no              text NOT NULL,
  print_count            integer NOT NULL,
  outcome_reason         text,
  PRIMARY KEY (branch_code, desk, installation, application_number, business_date)
) PARTITION BY RANGE (business_date);

-- Day ranges (per branch and day, per teller): rows arrive in business-day order, so a BRIN index is small and
-- costs next to nothing per row loaded; a month is also its own partition.
CREATE INDEX requests_day ON headoffice.requests USING brin (business_date);
-- Still open (carried over or approved, not completed).
-- The repeat search made as each bundle loads.
CREATE INDEX requests_merchant ON headoffice.requests (merchant_number, business_date) WHERE merchant_number IS NOT NULL;
CREATE INDEX requests_serial ON headoffice.requests (terminal_serial, business_date) WHERE terminal_serial IS NOT NULL;
CREATE INDEX requests_open ON headoffice.requests (business_date) WHERE status IN ('carried_over', 'approved');

-- Cross-branch repeats: one row per pair (a request, an earlier-loaded request of ANOTHER branch with the
-- same merchant number or SN within 90 days), found as each bundle loads, so the question reads an index.
CREATE TABLE headoffice.repeat_matches (
  kind               text NOT NULL CHECK (kind IN ('merchant', 'serial')),
  value              text NOT NULL,
  application_number text NOT NULL,
  branch_code        text NOT NULL,
  business_date      date NOT NULL,
  other_application  text NOT NULL,
  other_branch       text NOT NULL,
  other_date         date NOT NULL,
  PRIMARY KEY (kind, application_number, business_date, other_application, other_date)
);
CREATE INDEX repeat_matches_date ON headoffice.repeat_matches (business_date);
CREATE INDEX repeat_matches_other_date ON headoffice.repeat_matches (other_date);
