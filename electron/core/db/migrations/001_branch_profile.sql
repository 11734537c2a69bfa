-- The branch this installation serves, and settings as validated JSON values.
CREATE TABLE branch_profile (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  code        TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 20),
  name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  bank_name   TEXT NOT NULL DEFAULT '',
  time_zone   TEXT NOT NULL DEFAULT 'Asia/Shanghai',
  created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
  key         TEXT PRIMARY KEY,
  value_json  TEXT NOT NULL CHECK (json_valid(value_json)),
  updated_at  TEXT NOT NULL
) STRICT;
