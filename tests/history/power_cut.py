#!/usr/bin/env python3
"""Power-cut test of the history: SIGKILL at random instants.

  power_cut.py driver CRASH_DRIVER KILLS [EXPORT_KILLS]
      the driver (the real history module and sequencer on a fake clock)
      writing sessions, and rewriting the CSV copy, killed at random
  power_cut.py binary REPCUE ROUTINE KILLS
      the real repcue play (null output, real time), killed mid-session

After every kill, like a restart: PRAGMA integrity_check is ok, every
record the writer reported committed is in the database, the CSV copy is
whole, and resume offers the set the committed records say. Prints the
figures. A kill with SIGKILL loses what the kernel has not been given;
a pulled plug also loses what it has not written: synchronous=FULL makes
every reported commit durable against that too (not testable here).
"""
import csv
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

# (step, set) in the order the test routine plays them (tests/core/test_routines.h: small)
SETS = [(0, 1), (0, 2), (1, 1)]
HEADER = ["date", "routine", "level", "file", "minutes", "outcome", "sets_done", "sets_total", "progress", "sets_skipped", "sets_planned", "repeats", "counts", "rating"]

failures = []

KEEP_SESSIONS = 730  # src/history/history.h, HISTORY_EVENTS_KEEP_SESSIONS


def fail(msg):
    failures.append(msg)
    print("FAILED: " + msg, file=sys.stderr)


def expected_offer(db, routine, sets):
    """What resume must offer, from the committed records alone."""
    row = db.execute("SELECT id FROM sessions WHERE routine = ? ORDER BY id DESC LIMIT 1", (routine,)).fetchone()
    if not row:
        return ("none", -1, 0)
    events = db.execute("SELECT kind, step, set_no, arg FROM events WHERE session = ? ORDER BY id",
                        (row[0],)).fetchall()
    last, over = None, False
    for kind, step, set_no, arg in events:
        if kind == "session-end" and arg == 1:
            return ("none", -1, 0)
        if kind == "set-begin":
            last, over = (step, set_no), False
        elif kind in ("set-done", "set-skipped"):
            over = True
    if last is None:
        return ("none", -1, 0)
    if over:
        i = sets.index(last) + 1
        if i >= len(sets):
            return ("none", -1, 0)
        last = sets[i]
    return ("resume", last[0], last[1])


def check_db(path, committed, label):
    db = sqlite3.connect(path)
    try:
        ok = db.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            fail(f"{label}: integrity_check: {ok}")
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "events" not in tables:
            # cut before the schema was committed: nothing may have been
            if committed:
                fail(f"{label}: no tables, {len(committed)} records reported committed")
            db.close()
            return None
        have = set(db.execute("SELECT session, id FROM events"))
        # the detail of the newest KEEP_SESSIONS sessions by sequence is
        # kept (history.h, HISTORY_EVENTS_KEEP_SESSIONS); older detail goes
        newest = db.execute("SELECT max(id) FROM sessions").fetchone()[0] or 0
        missing = [c for c in committed if c not in have and c[0] > newest - KEEP_SESSIONS]
        if missing:
            fail(f"{label}: {len(missing)} committed records missing, e.g. {missing[:3]}")
        return db
    except sqlite3.DatabaseError as e:
        fail(f"{label}: {e}")
        db.close()
        return None


def check_csv(path, sessions, label):
    if not os.path.exists(path):
        return
    with open(path, newline="") as f:
        data = f.read()
    rows = list(csv.reader(data.splitlines()))
    if not data.endswith("\r\n") or rows[0] != HEADER or any(len(r) != len(HEADER) for r in rows):
        fail(f"{label}: CSV not whole: {data[-200:]!r}")
    elif sessions is not None and len(rows) - 1 > sessions:
        fail(f"{label}: CSV has {len(rows) - 1} sessions, the database {sessions}")


def read_commits(text):
    out = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "commit":
            out.append((int(parts[1]), int(parts[2])))
    return out


def run_driver(driver, kills, export_kills):
    state = tempfile.mkdtemp(prefix="repcue-powercut-")
    db_path = os.path.join(state, "history.db")
    csv_path = os.path.join(state, "history.csv")
    rng = random.Random(int(os.environ.get("POWER_CUT_SEED", "1")))
    committed = []
    t0 = time.monotonic()
    n_commits = mid_txn = 0
    for i in range(kills + export_kills):
        mode = "run" if i < kills else "export"
        args = [driver, mode, state] + ([str(rng.randrange(1 << 30))] if mode == "run" else [])
        p = subprocess.Popen(args, stdout=subprocess.PIPE)
        time.sleep(rng.uniform(0.0, 0.08))
        p.send_signal(signal.SIGKILL)
        out, _ = p.communicate()
        if p.returncode == 3:
            fail(f"kill {i}: the database had to be moved aside")
        new = read_commits(out.decode())
        committed += new
        n_commits += len(new)
        label = f"kill {i} ({mode})"
        db = check_db(db_path, committed, label) if os.path.exists(db_path) else None
        if db is None:
            continue
        sessions = db.execute("SELECT count(*) FROM sessions").fetchone()[0]
        if os.path.exists(db_path + "-wal") and os.path.getsize(db_path + "-wal") > 0:
            mid_txn += 1
        want = expected_offer(db, "/routines/small.yaml", SETS)
        db.close()
        check_csv(csv_path, sessions, label)
        r = subprocess.run([driver, "offer", state], capture_output=True, text=True)
        if r.returncode != 0:
            fail(f"{label}: offer: exit {r.returncode}: {r.stderr}")
            continue
        got = r.stdout.split()
        if got[1:4] != [want[0], str(want[1]), str(want[2])]:
            fail(f"{label}: resume offers {got[1:4]}, the records say {want}")
        if len(failures) > 10:
            break
    elapsed = time.monotonic() - t0
    db = sqlite3.connect(db_path)
    sessions, events = db.execute("SELECT count(*), (SELECT count(*) FROM events) FROM sessions").fetchone()
    db.close()
    print(f"power_cut driver: {kills} kills while writing sessions, {export_kills} while exporting the CSV; "
          f"{n_commits} commits reported{', all present' if not failures else ''}; {sessions} sessions, "
          f"{events} records; "
          f"{len(failures)} failures; {elapsed:.1f} s")
    subprocess.run(["rm", "-rf", state])


def run_binary(repcue, routine, kills):
    """The real binary: play without lobby, killed mid-session; then the
    lobby (waiting for start) must offer the set the records say."""
    state = tempfile.mkdtemp(prefix="repcue-powercut-bin-")
    env = dict(os.environ, REPCUE_STATE_DIR=state, REPCUE_CACHE_DIR=os.path.join(state, "cache"),
               REPCUE_BOOT_DIR=os.path.join(state, "boot"), HOME=state, XDG_STATE_HOME=os.path.join(state, "x"))
    os.makedirs(os.path.join(state, "boot", "repcue"))
    rng = random.Random(int(os.environ.get("POWER_CUT_SEED", "1")))
    db_path = os.path.join(state, "history.db")
    t0 = time.monotonic()
    offers = 0
    # the test routine's sets, from the transcript of a render (the order they are played)
    sets = []
    r = subprocess.run([repcue, "render", routine, "-o", os.path.join(state, "r.wav")], capture_output=True,
                       text=True, env=env)
    names = []
    for line in r.stdout.splitlines():
        if " speech: " in line and ", set " in line:
            what = line.split(" speech: ", 1)[1]
            name, s = what.split(", set ")[:2]
            s = int(s.split(",")[0])
            if name not in names:
                names.append(name)
            if (names.index(name), s) not in sets:
                sets.append((names.index(name), s))
    for i in range(kills):
        p = subprocess.Popen([repcue, "play", routine, "--output", "null", "--config", "none", "--no-keys",
                              "--transcript"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        time.sleep(rng.uniform(4.0, 30.0))
        p.send_signal(signal.SIGKILL)
        p.wait()
        label = f"binary kill {i}"
        if not os.path.exists(db_path):
            continue
        db = check_db(db_path, [], label)
        if db is None:
            continue
        real = os.path.realpath(routine)
        want = expected_offer(db, real, sets)
        db.close()
        try:
            r = subprocess.run([repcue, "play", routine, "--output", "null", "--config", "none", "--no-keys",
                                "--transcript", "--wait-for-start", "--simulate", "start@2.5"],
                               capture_output=True, text=True, env=env, timeout=8)
            stdout = r.stdout
        except subprocess.TimeoutExpired as e:
            stdout = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        # the lobby line, then after start the announcement of the set
        if want[0] == "none":
            if "Last time you stopped" in stdout:
                fail(f"{label}: offers a resume, the records say none")
        else:
            offers += 1
            m = [l for l in stdout.splitlines() if "Last time you stopped" in l]
            if not m or f", set {want[2]}." not in m[0]:
                fail(f"{label}: lobby says {m[:1]}, the records say {want}")
            lines = stdout.splitlines()
            after = [l for l in lines[lines.index(m[0]) + 1:] if " segment " in l] if m else []
            if not after or f", set {want[2]}" not in after[0]:
                fail(f"{label}: after start: {after[:1]}, want set {want[2]}")
        # that session was itself killed (timeout) or stopped: fine, the next kill goes on
    print(f"power_cut binary: {kills} kills of repcue play, {offers} resumes offered at the right set, "
          f"sets {sets}, {len(failures)} failures, "
          f"{time.monotonic() - t0:.1f} s")
    subprocess.run(["rm", "-rf", state])


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "driver":
        run_driver(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 0)
    elif len(sys.argv) == 5 and sys.argv[1] == "binary":
        run_binary(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
