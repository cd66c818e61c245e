-- A history database as Claude Gauge wrote it at schema version 7 (entries with their ids,
-- session and project as text), made by indexing the transcripts in index-v7/ with that
-- version; @CONFIG@ stands for their CLAUDE_CONFIG_DIR. `sqlite3 history.db .dump`, and the
-- user_version, which .dump leaves out.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE fetches (  id INTEGER PRIMARY KEY,  fetched_at INTEGER NOT NULL,  source TEXT NOT NULL);
CREATE TABLE readings (  fetch_id INTEGER NOT NULL REFERENCES fetches(id) ON DELETE CASCADE,  position INTEGER NOT NULL,  window TEXT NOT NULL,  name TEXT NOT NULL,  utilization REAL NOT NULL,  resets_at INTEGER,  length INTEGER NOT NULL DEFAULT 0,  used_minor INTEGER,  limit_minor INTEGER,  currency TEXT);
CREATE TABLE cooldown (  token_hash TEXT PRIMARY KEY,  reason INTEGER NOT NULL,  until INTEGER NOT NULL,  level INTEGER NOT NULL,  updated_at INTEGER NOT NULL);
CREATE TABLE transcript_files (  id INTEGER PRIMARY KEY,  path TEXT NOT NULL UNIQUE,  device INTEGER NOT NULL,  inode INTEGER NOT NULL,  size INTEGER NOT NULL,  mtime INTEGER NOT NULL,  offset INTEGER NOT NULL,  malformed INTEGER NOT NULL DEFAULT 0);
INSERT INTO transcript_files VALUES(1,'@CONFIG@/projects/-home-ana-shop/a.jsonl',65024,11247750,2121,1795507028976195,2121,0);
INSERT INTO transcript_files VALUES(2,'@CONFIG@/projects/-home-ana-shop/b.jsonl',65024,11247765,898,1795507028976241,898,0);
INSERT INTO transcript_files VALUES(3,'@CONFIG@/projects/-home-ana-shop/s-main/subagents/agent-1.jsonl',65024,11247793,587,1795507028976280,587,0);
CREATE TABLE entries (  id INTEGER PRIMARY KEY,  file_id INTEGER REFERENCES transcript_files(id) ON DELETE SET NULL,  message_id TEXT,  request_id TEXT,  timestamp INTEGER NOT NULL,  session_id TEXT,  project TEXT,  model TEXT,  speed TEXT,  is_sidechain INTEGER NOT NULL DEFAULT 0,  input_tokens INTEGER NOT NULL DEFAULT 0,  output_tokens INTEGER NOT NULL DEFAULT 0,  cache_creation_5m_tokens INTEGER NOT NULL DEFAULT 0,  cache_creation_1h_tokens INTEGER NOT NULL DEFAULT 0,  cache_read_tokens INTEGER NOT NULL DEFAULT 0,  cost_usd REAL, dedup_key INTEGER);
INSERT INTO entries VALUES(1,1,'msg_tier','req_tier',1795118400000,'a','-home-ana-shop','claude-sonnet-4-5-20250929',NULL,0,250000,1000,0,0,10,NULL,7303700301306896760);
INSERT INTO entries VALUES(2,1,'msg_fast','req_fast',1795010400000,'a','-home-ana-shop','claude-opus-4-6','fast',0,40,40,0,0,0,NULL,-6772535296334022098);
INSERT INTO entries VALUES(3,1,'msg_cost','req_cost',1795010460000,'a','-home-ana-shop','claude-sonnet-4-5-20250929',NULL,0,11,12,0,0,0,0.25,-6390606368650134235);
INSERT INTO entries VALUES(4,1,'msg_m1','req_r1',1794906000000,'a','-home-ana-shop','claude-sonnet-4-5-20250929',NULL,0,100,50,0,0,0,NULL,-5313575674253418264);
INSERT INTO entries VALUES(5,2,'msg_m2','',1794906330000,'b','-home-ana-shop','claude-sonnet-4-5-20250929',NULL,0,20,70,0,0,0,NULL,-4107560451624038979);
INSERT INTO entries VALUES(6,1,'msg_nomodel','req_nomodel',1795010520000,'a','-home-ana-shop',NULL,NULL,0,9,9,0,0,0,NULL,-1219030717356781964);
INSERT INTO entries VALUES(7,1,NULL,NULL,1794906360000,'a','-home-ana-shop','claude-sonnet-4-5-20250929',NULL,0,3,3,0,0,0,NULL,NULL);
INSERT INTO entries VALUES(8,2,'msg_b1','req_b1',1795161600000,'b','-home-ana-shop','claude-haiku-4-5',NULL,0,5,6,0,0,0,NULL,4003266089591433504);
INSERT INTO entries VALUES(9,3,'msg_agent','req_agent',1794906600000,'s-main','-home-ana-shop','claude-sonnet-4-5-20250929',NULL,1,30,30,0,0,0,NULL,-5793176941980100273);
INSERT INTO entries VALUES(10,3,NULL,NULL,1794906660000,'s-main','-home-ana-shop','claude-sonnet-4-5-20250929',NULL,1,2,2,0,0,0,NULL,NULL);
CREATE TABLE alerts_sent (  key TEXT PRIMARY KEY,  sent_at INTEGER NOT NULL);
CREATE TABLE console_code_days (  org_id TEXT NOT NULL,  day TEXT NOT NULL,  data TEXT NOT NULL,  fetched_at INTEGER NOT NULL,  PRIMARY KEY (org_id, day)) WITHOUT ROWID;
CREATE TABLE entry_sums (  bucket INTEGER NOT NULL,  model TEXT NOT NULL,  flags INTEGER NOT NULL,  alone INTEGER NOT NULL,  first_ms INTEGER NOT NULL,  n INTEGER NOT NULL,  input_tokens INTEGER NOT NULL,  output_tokens INTEGER NOT NULL,  cache_creation_5m_tokens INTEGER NOT NULL,  cache_creation_1h_tokens INTEGER NOT NULL,  cache_read_tokens INTEGER NOT NULL,  cost_usd REAL NOT NULL,  PRIMARY KEY (bucket, model, flags, alone)) WITHOUT ROWID;
INSERT INTO entry_sums VALUES(1994340,'claude-sonnet-4-5-20250929',0,0,1794906000000,5,155,155,0,0,0,0.0);
INSERT INTO entry_sums VALUES(1994456,'',4,0,1795010520000,1,9,9,0,0,0,0.0);
INSERT INTO entry_sums VALUES(1994456,'claude-opus-4-6',1,0,1795010400000,1,40,40,0,0,0,0.0);
INSERT INTO entry_sums VALUES(1994456,'claude-sonnet-4-5-20250929',2,0,1795010460000,1,11,12,0,0,0,0.25);
INSERT INTO entry_sums VALUES(1994576,'claude-sonnet-4-5-20250929',0,1,1795118400000,1,250000,1000,0,0,10,0.0);
INSERT INTO entry_sums VALUES(1994624,'claude-haiku-4-5',0,0,1795161600000,1,5,6,0,0,0,0.0);
CREATE TABLE readings_hourly (  window TEXT NOT NULL,  hour INTEGER NOT NULL,  period INTEGER NOT NULL,  utilization REAL NOT NULL,  fetched_at INTEGER NOT NULL,  resets_at INTEGER,  PRIMARY KEY (window, hour, period)) WITHOUT ROWID;
CREATE TABLE entry_edits (  seq INTEGER PRIMARY KEY,  low_ms INTEGER NOT NULL);
INSERT INTO entry_edits VALUES(1,1794906300000);
CREATE INDEX readings_window_fetch ON readings(window, fetch_id);
CREATE INDEX readings_fetch ON readings(fetch_id);
CREATE INDEX fetches_fetched_at ON fetches(fetched_at);
CREATE INDEX entries_timestamp ON entries(timestamp);
CREATE INDEX entries_key ON entries(dedup_key);
CREATE INDEX readings_series  ON readings(window, fetch_id, utilization, resets_at);
CREATE INDEX readings_periods ON readings(window, resets_at, fetch_id);
CREATE TRIGGER readings_hourly_insert AFTER INSERT ON readings BEGIN INSERT INTO readings_hourly (window, hour, period, utilization, fetched_at, resets_at) SELECT r.window, f.fetched_at / 3600, coalesce(r.resets_at / 60, -1), r.utilization, f.fetched_at, r.resets_at FROM readings r JOIN fetches f ON f.id = r.fetch_id WHERE r.rowid = new.rowid ON CONFLICT (window, hour, period) DO UPDATE SET utilization = excluded.utilization, fetched_at = excluded.fetched_at, resets_at = excluded.resets_at WHERE excluded.utilization > utilization OR (excluded.utilization = utilization AND excluded.fetched_at > fetched_at); END;
COMMIT;
PRAGMA user_version = 7;
