#!/usr/bin/env python3
"""bench/history_scale.py - what years of daily use cost (issue 17 item 4).

Fills a history with N sessions (default 100,000: about 270 years of one
session a day, or 30 years of several) straight through SQLite in the
schema repcue writes (version 2), then times with bench_child, against the
same commands on a history of one session measured in the same run:
  - `repcue history`          (the table and the weeks: every row streamed)
  - `repcue history --csv`    (every session, no cap: counts the rows)
  - the lobby: `repcue play --wait-for-start --output null` until its first
    spoken line (it reads the history for "last time you stopped at" and
    the week's sessions).
Prints figures; asserts nothing but that the CSV has every row (a cap
would be a wrong answer, not a slow one).

usage: bench/history_scale.py BUILD_DIR [SESSIONS]
"""
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

SCHEMA = """
CREATE TABLE sessions(id INTEGER PRIMARY KEY, routine TEXT NOT NULL, name TEXT NOT NULL,
 hash TEXT NOT NULL, level INTEGER NOT NULL, voice TEXT NOT NULL, sets_total INTEGER NOT NULL,
 started_wall INTEGER NOT NULL, last_wall INTEGER NOT NULL, session_frames INTEGER NOT NULL DEFAULT 0,
 outcome INTEGER NOT NULL DEFAULT 0, sets_done INTEGER NOT NULL DEFAULT 0,
 last_step INTEGER NOT NULL DEFAULT -1, last_set INTEGER NOT NULL DEFAULT 0,
 last_set_over INTEGER NOT NULL DEFAULT 0, last_step_name TEXT NOT NULL DEFAULT '',
 sets_skipped INTEGER NOT NULL DEFAULT 0, sets_planned INTEGER NOT NULL DEFAULT 0,
 repeats INTEGER NOT NULL DEFAULT 0);
CREATE INDEX sessions_routine ON sessions(routine, id);
CREATE TABLE events(id INTEGER PRIMARY KEY, session INTEGER NOT NULL REFERENCES sessions(id),
 kind TEXT NOT NULL, at_frames INTEGER NOT NULL, wall INTEGER NOT NULL, step INTEGER NOT NULL,
 set_no INTEGER NOT NULL, arg INTEGER NOT NULL, detail TEXT NOT NULL);
CREATE INDEX events_session ON events(session);
PRAGMA user_version = 2;
"""


def fill(db_path, n, routine):
    db = sqlite3.connect(db_path)
    db.executescript(SCHEMA)
    now = int(time.time())
    # oldest first, one every 6 hours back from now; every seventh stopped
    rows = []
    for i in range(n):
        t = now - (n - i) * 6 * 3600
        stopped = i % 7 == 3
        rows.append((routine, "Upper back", "0123abcd:1234", 1, "en-gb", 6, t, t + 840,
                     840 * 48000, 2 if stopped else 1, 3 if stopped else 6,
                     2, 1, 1, "band rows", 0, 6, i % 3))
    db.executemany(
        "INSERT INTO sessions(routine, name, hash, level, voice, sets_total, started_wall, last_wall,"
        " session_frames, outcome, sets_done, last_step, last_set, last_set_over, last_step_name,"
        " sets_skipped, sets_planned, repeats) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    db.commit()
    db.close()


def run(bench_child, cmd, env, pattern=None):
    args = [bench_child]
    if pattern:
        args += ["-t", "60", "-k", "-m", pattern]
    r = subprocess.run(args + ["--"] + cmd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, text=True, check=False)
    kv = dict(p.split("=", 1) for p in r.stdout.split())
    return kv


def csv_rows(repcue, env):
    r = subprocess.run([repcue, "history", "--csv"], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, check=False)
    return r.stdout.count(b"\n") - 1


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    build = os.path.abspath(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    repcue = os.path.join(build, "src", "repcue")
    bench_child = os.path.join(build, "bench", "bench_child")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    routine = os.path.join(root, "routines", "upper-back-1.yaml")
    results = {}
    with tempfile.TemporaryDirectory(prefix="repcue-history-scale-") as tmp:
        for label, count in (("baseline", 1), ("scaled", n)):
            home = os.path.join(tmp, label)
            state = os.path.join(home, "state")
            os.makedirs(os.path.join(state, "repcue"))
            t0 = time.monotonic()
            fill(os.path.join(state, "repcue", "history.db"), count, routine)
            print(f"history_scale: {label}: {count} sessions written in {time.monotonic() - t0:.1f} s",
                  file=sys.stderr)
            env = dict(os.environ, HOME=home, XDG_STATE_HOME=state,
                       XDG_CACHE_HOME=os.path.join(tmp, "cache"), XDG_CONFIG_HOME=os.path.join(home, "config"),
                       REPCUE_STATE_DIR=os.path.join(state, "repcue"), TZ="Europe/Berlin")
            env.pop("REPCUE_CONFIG", None)
            rows = csv_rows(repcue, env)
            if rows != count:
                sys.exit(f"history_scale: {label}: history --csv gave {rows} rows of {count}")
            # the lobby once before measuring: the speech cache is warm in both
            run(bench_child, [repcue, "play", routine, "--wait-for-start", "--output", "null", "--no-keys"],
                env, 'say "')
            results[label] = {
                "history": run(bench_child, [repcue, "history"], env),
                "csv": run(bench_child, [repcue, "history", "--csv"], env),
                "lobby": run(bench_child, [repcue, "play", routine, "--wait-for-start", "--output", "null",
                                           "--no-keys"], env, 'say "'),
            }
    print(f"history with {n} sessions (baseline: 1 session, same run; TZ=Europe/Berlin)")
    print(f"{'command':<24} {'baseline s':>10} {'scaled s':>10} {'ratio':>7} {'peak RSS KiB':>13}")
    for key, what, field in (("history", "repcue history", "wall_s"),
                             ("csv", "repcue history --csv", "wall_s"),
                             ("lobby", "lobby to first line", "match_s")):
        b = float(results["baseline"][key][field])
        s = float(results["scaled"][key][field])
        rss = results["scaled"][key]["maxrss_kb"]
        print(f"{what:<24} {b:>10.3f} {s:>10.3f} {s / b if b > 0 else 0:>7.1f} {rss:>13}")
    print(f"history --csv printed every one of the {n} sessions")


if __name__ == "__main__":
    main()
