-- The schema of a history database written by Claude Gauge at schema version 4 (before the
-- hourly rollup), as `sqlite3 history.db .schema` prints it. Tests fill it with readings and
-- let the store migrate it.
CREATE TABLE fetches (  id INTEGER PRIMARY KEY,  fetched_at INTEGER NOT NULL,  source TEXT NOT NULL);
CREATE TABLE readings (  fetch_id INTEGER NOT NULL REFERENCES fetches(id) ON DELETE CASCADE,  position INTEGER NOT NULL,  window TEXT NOT NULL,  name TEXT NOT NULL,  utilization REAL NOT NULL,  resets_at INTEGER,  length INTEGER NOT NULL DEFAULT 0,  used_minor INTEGER,  limit_minor INTEGER,  currency TEXT);
CREATE TABLE cooldown (  token_hash TEXT PRIMARY KEY,  reason INTEGER NOT NULL,  until INTEGER NOT NULL,  level INTEGER NOT NULL,  updated_at INTEGER NOT NULL);
CREATE TABLE transcript_files (  id INTEGER PRIMARY KEY,  path TEXT NOT NULL UNIQUE,  device INTEGER NOT NULL,  inode INTEGER NOT NULL,  size INTEGER NOT NULL,  mtime INTEGER NOT NULL,  offset INTEGER NOT NULL,  malformed INTEGER NOT NULL DEFAULT 0);
CREATE TABLE entries (  id INTEGER PRIMARY KEY,  file_id INTEGER REFERENCES transcript_files(id) ON DELETE SET NULL,  message_id TEXT,  request_id TEXT,  timestamp INTEGER NOT NULL,  session_id TEXT,  project TEXT,  model TEXT,  speed TEXT,  is_sidechain INTEGER NOT NULL DEFAULT 0,  input_tokens INTEGER NOT NULL DEFAULT 0,  output_tokens INTEGER NOT NULL DEFAULT 0,  cache_creation_5m_tokens INTEGER NOT NULL DEFAULT 0,  cache_creation_1h_tokens INTEGER NOT NULL DEFAULT 0,  cache_read_tokens INTEGER NOT NULL DEFAULT 0,  cost_usd REAL, dedup_key INTEGER);
CREATE TABLE alerts_sent (  key TEXT PRIMARY KEY,  sent_at INTEGER NOT NULL);
CREATE TABLE console_code_days (  org_id TEXT NOT NULL,  day TEXT NOT NULL,  data TEXT NOT NULL,  fetched_at INTEGER NOT NULL,  PRIMARY KEY (org_id, day)) WITHOUT ROWID;
CREATE INDEX readings_window_fetch ON readings(window, fetch_id);
CREATE INDEX readings_fetch ON readings(fetch_id);
CREATE INDEX fetches_fetched_at ON fetches(fetched_at);
CREATE INDEX entries_timestamp ON entries(timestamp);
CREATE INDEX entries_key ON entries(dedup_key);
PRAGMA user_version = 4;
