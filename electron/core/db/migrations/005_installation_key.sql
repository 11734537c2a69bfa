-- Which installation key this database belongs to: the SHA-256 of its Ed25519 public key (SPKI DER, hex).
-- Recorded when the key is made, or for a database older than this table at its next start. A start with a
-- missing or different key stops instead of making a new key: new data sealed with another key would leave
-- the old records unreadable, and the old key, once found, could not read the new ones.
CREATE TABLE installation_key (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
  recorded_at TEXT NOT NULL
);

CREATE TRIGGER installation_key_fixed BEFORE UPDATE ON installation_key
BEGIN
  SELECT RAISE(ABORT, 'installation_key is fixed once recorded');
END;

CREATE TRIGGER installation_key_kept BEFORE DELETE ON installation_key
BEGIN
  SELECT RAISE(ABORT, 'installation_key is fixed once recorded');
END;
