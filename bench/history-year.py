#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A year of 1-minute readings in a history database, and the chart query timed on it.

  bench/history-year.py [--db PATH] [--windows 3] [--width 800] [--retention]

Builds the schema by running `claude-gauge --status` is not needed: the tables are
created here exactly as migration 1 has them (readings and fetches only). Prints the
file size, the size per year of readings, and the series query (the SQL of
src/core/gauge-store-history.c) for 24 h / 7 d / 30 d / 90 d / 1 y at --width points.
--retention also applies the retention downsampling (30 days full, hourly after) and
times the queries again on the result, which is what a year-old database holds.
"""
import argparse, math, os, random, sqlite3, statistics, sys, tempfile, time

SCHEMA = """
CREATE TABLE fetches (id INTEGER PRIMARY KEY, fetched_at INTEGER NOT NULL, source TEXT NOT NULL);
CREATE TABLE readings (fetch_id INTEGER NOT NULL REFERENCES fetches(id) ON DELETE CASCADE,
  position INTEGER NOT NULL, window TEXT NOT NULL, name TEXT NOT NULL,
  utilization REAL NOT NULL, resets_at INTEGER, length INTEGER NOT NULL DEFAULT 0,
  used_minor INTEGER, limit_minor INTEGER, currency TEXT);
CREATE INDEX readings_window_fetch ON readings(window, fetch_id);
CREATE INDEX readings_fetch ON readings(fetch_id);
CREATE INDEX fetches_fetched_at ON fetches(fetched_at);
"""

WINDOWS = [("five_hour", "5-hour", 5 * 3600), ("seven_day", "Weekly", 7 * 86400),
           ("seven_day_opus", "Weekly Opus", 7 * 86400), ("seven_day_sonnet", "Weekly Sonnet", 7 * 86400)]

# Keep in step with series_sql () in src/core/gauge-store-history.c.
SERIES_SQL = ("SELECT f.fetched_at, max(r.utilization), r.resets_at,"
              " (f.fetched_at - ?1) * ?3 / ?4 AS bucket"
              " FROM fetches f JOIN readings r ON r.fetch_id = f.id AND r.window = ?2"
              " WHERE f.fetched_at >= ?1 AND f.fetched_at < ?5"
              " GROUP BY bucket, coalesce(r.resets_at / 60, -1) ORDER BY 1")

RETENTION_SQL = """
DELETE FROM fetches WHERE fetched_at < ?1 AND id NOT IN (
  SELECT id FROM (
    SELECT f.id AS id, row_number () OVER (PARTITION BY f.source, f.fetched_at / 3600
      ORDER BY (SELECT max(utilization) FROM readings r WHERE r.fetch_id = f.id) DESC,
               f.fetched_at DESC, f.id DESC) AS rank
    FROM fetches f WHERE f.fetched_at < ?1)
  WHERE rank = 1)
"""


def generate(path, n_windows, end):
    db = sqlite3.connect(path)
    db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=ON;" + SCHEMA)
    start = end - 365 * 86400
    rnd = random.Random(1)
    windows = WINDOWS[:n_windows]
    state = {w[0]: [0.0, start + w[2]] for w in windows}
    fetches, readings = [], []
    fid = 0
    for t in range(start, end, 60):
        fid += 1
        fetches.append((fid, t, "official"))
        for pos, (wid, name, length) in enumerate(windows):
            s = state[wid]
            if t >= s[1]:
                s[0], s[1] = 0.0, t + length
            s[0] += rnd.random() * (0.9 if length < 86400 else 0.02)
            readings.append((fid, pos, wid, name, round(s[0], 1), s[1], length))
        if len(readings) > 200000:
            db.executemany("INSERT INTO fetches VALUES (?,?,?)", fetches)
            db.executemany("INSERT INTO readings (fetch_id, position, window, name, utilization,"
                           " resets_at, length) VALUES (?,?,?,?,?,?,?)", readings)
            fetches, readings = [], []
    db.executemany("INSERT INTO fetches VALUES (?,?,?)", fetches)
    db.executemany("INSERT INTO readings (fetch_id, position, window, name, utilization,"
                   " resets_at, length) VALUES (?,?,?,?,?,?,?)", readings)
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return fid


def time_queries(path, end, width, label):
    db = sqlite3.connect(path)
    print(f"\n{label}: series query for five_hour at {width} points (median of 9 runs, warm cache)")
    for name, span in [("24 h", 86400), ("7 d", 7 * 86400), ("30 d", 30 * 86400),
                       ("90 d", 90 * 86400), ("1 y", 365 * 86400)]:
        since = end - span
        args = (since, "five_hour", width, span, end)
        rows = db.execute(SERIES_SQL, args).fetchall()
        runs = []
        for _ in range(9):
            t0 = time.perf_counter()
            db.execute(SERIES_SQL, args).fetchall()
            runs.append((time.perf_counter() - t0) * 1000)
        print(f"  {name:>5}: {statistics.median(runs):7.2f} ms  ({len(rows)} points)")
    db.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--db")
    p.add_argument("--windows", type=int, default=3)
    p.add_argument("--width", type=int, default=800)
    p.add_argument("--retention", action="store_true")
    a = p.parse_args()
    tmp = None
    path = a.db
    if path is None:
        tmp = tempfile.TemporaryDirectory()
        path = os.path.join(tmp.name, "history.db")
    end = (int(time.time()) // 60) * 60
    t0 = time.perf_counter()
    n = generate(path, a.windows, end)
    size = os.path.getsize(path)
    print(f"generated {n} fetches x {a.windows} windows in {time.perf_counter() - t0:.1f} s")
    print(f"size: {size / 1e6:.1f} MB for a year of 1-minute readings "
          f"({size / (n * a.windows):.0f} bytes per reading)")
    time_queries(path, end, a.width, "full resolution")
    if a.retention:
        db = sqlite3.connect(path)
        db.execute("PRAGMA foreign_keys=ON")
        t0 = time.perf_counter()
        cur = db.execute(RETENTION_SQL, (end - 30 * 86400,))
        db.commit()
        took = time.perf_counter() - t0
        t0 = time.perf_counter()
        db.execute("VACUUM")
        vac = time.perf_counter() - t0
        left = db.execute("SELECT count(*) FROM fetches").fetchone()[0]
        db.close()
        print(f"\nretention removed {cur.rowcount} fetches in {took:.1f} s (VACUUM {vac:.1f} s);"
              f" {left} left, {os.path.getsize(path) / 1e6:.1f} MB")
        time_queries(path, end, a.width, "after retention (30 d full, hourly after)")


if __name__ == "__main__":
    main()
