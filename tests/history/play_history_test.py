#!/usr/bin/env python3
"""The history through the real repcue binary (null output, real time).

  play_history_test.py resume REPCUE ROUTINE
      play with --press, SIGKILL in set 2; `repcue history` shows where it
      stopped; the lobby (--wait-for-start, start pressed through the
      simulated button) offers set 2 and resumes there, after its
      countdown; the end says the sessions this week; the CSV copy on the
      "boot partition" and `repcue history --csv` show both sessions;
      holding start on an offer starts over.
  play_history_test.py full REPCUE ROUTINE
      the state directory on a 1 MB tmpfs that fills up, then mounted
      read-only (a private mount namespace; exit 77 without root/unshare):
      the session is coached to its end, the problem logged once.
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SKIP = 77
failures = []


def fail(msg):
    failures.append(msg)
    print("FAILED: " + msg, file=sys.stderr)


def make_env(work):
    return dict(os.environ, REPCUE_STATE_DIR=os.path.join(work, "state"),
                REPCUE_CACHE_DIR=os.path.join(work, "cache"), REPCUE_BOOT_DIR=os.path.join(work, "boot"),
                HOME=work, XDG_STATE_HOME=os.path.join(work, "xdg"))


def play(repcue, routine, env, *extra, timeout=120):
    return subprocess.run([repcue, "play", routine, "--output", "null", "--config", "none", "--no-keys",
                           "--transcript"] + list(extra), capture_output=True, text=True, env=env,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def lobby_until_countdown(repcue, routine, env, simulate):
    """The transcript of `play --wait-for-start` with the simulated presses,
    up to the first set's countdown; the process is then killed."""
    p = subprocess.Popen([repcue, "play", routine, "--output", "null", "--config", "none", "--no-keys",
                          "--transcript", "--wait-for-start", "--simulate", simulate],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
                         stdin=subprocess.DEVNULL)
    lines = []
    for line in p.stdout:
        lines.append(line)
        if "countdown: Rows, set 1" in line:
            break
    p.send_signal(signal.SIGKILL)
    p.wait()
    return lines


WAIT_S = 120  # for a condition; never a guess of how long something takes


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def wait_for(pred, proc, what):
    """Waits until pred() holds; False (and a failure) if proc ended or
    WAIT_S passed first."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        if pred():
            return True
        if proc.poll() is not None:
            fail(f"{what}: the process ended first (exit {proc.returncode})")
            return False
        time.sleep(0.02)
    fail(f"{what}: not within {WAIT_S} s")
    return False


def history_now(repcue, env):
    """`repcue history` as it is now, while a session may be writing ('' on
    an error: the caller waits and asks again)."""
    r = subprocess.run([repcue, "history"], capture_output=True, text=True, env=env, timeout=30)
    return r.stdout if r.returncode == 0 else ""


def start_play(repcue, routine, env, work, extra=(), stderr=subprocess.DEVNULL):
    """play with its transcript going to a file (flushed line by line by
    play): (process, transcript path)."""
    out_path = os.path.join(work, "transcript-%d.txt" % time.monotonic_ns())
    with open(out_path, "w") as out:
        p = subprocess.Popen([repcue, "play", routine, "--output", "null", "--config", "none", "--no-keys",
                              "--transcript"] + list(extra), stdout=out, stderr=stderr,
                             text=True, env=env, stdin=subprocess.DEVNULL)
    return p, out_path


def play_until(repcue, routine, env, work, marker, recorded, extra=()):
    """Plays until a transcript line contains marker and `repcue history`
    shows every string of recorded (the history has committed it), then
    SIGKILL (the plug)."""
    p, out_path = start_play(repcue, routine, env, work, extra)
    wait_for(lambda: marker in read(out_path) and all(r in history_now(repcue, env) for r in recorded),
             p, f"'{marker}' played and {recorded} recorded")
    p.send_signal(signal.SIGKILL)
    p.wait()
    return read(out_path).splitlines(keepends=True)


def history(repcue, env, *extra):
    r = subprocess.run([repcue, "history"] + list(extra), capture_output=True, text=True, env=env, timeout=30)
    if r.returncode != 0:
        fail(f"repcue history exited {r.returncode}: {r.stderr}")
    return r.stdout


def after(lines, marker):
    for i, l in enumerate(lines):
        if marker in l:
            return lines[i + 1:]
    return []


def mode_resume(repcue, routine, work):
    env = make_env(work)
    os.makedirs(os.path.join(work, "boot", "repcue"))
    play_until(repcue, routine, env, work, "work: Rows, set 2", ["running at Rows, set 2", "1 of 2 sets"],
               ["--press", "pause@3,pause@4.5"])
    out = history(repcue, env)
    print(out)
    if "running at Rows, set 2" not in out or "1 of 2 sets" not in out:
        fail("repcue history does not show the session cut off in set 2")

    r = play(repcue, routine, env, "--wait-for-start", "--simulate", "start@3")
    lines = r.stdout.splitlines()
    lobby = [l for l in lines if "Last time you stopped" in l]
    if not lobby or "Last time you stopped at Rows, set 2. Tap start to carry on there" not in lobby[0]:
        fail(f"the lobby did not offer set 2: {lobby}")
    rest = after(lines, "press start")
    segs = [l for l in rest if " segment " in l]
    if not segs or "countdown: Rows, set 2" not in segs[0]:
        fail(f"after start, not the countdown of set 2: {segs[:2]}")
    if any("set 1" in l for l in segs):
        fail("set 1 was played again")
    if not any('say "That\'s your first session this week."' in l for l in rest):
        fail("the end did not say the sessions this week")
    if r.returncode != 0 or "end of session" not in r.stdout:
        fail(f"the resumed session did not end: {r.returncode} {r.stderr}")
    print("\n".join(lobby + segs[:1]))

    out = history(repcue, env)
    print(out)
    if "interrupted at Rows, set 2" not in out or "completed (1 of 1 sets done" not in out:
        fail("repcue history does not show both sessions")
    with open(os.path.join(work, "boot", "repcue", "history.csv"), newline="") as f:
        boot_csv = f.read()
    cli_csv = history(repcue, env, "--csv")
    print(boot_csv)
    if boot_csv.replace("\r\n", "\n") != cli_csv or len(boot_csv.splitlines()) != 3 or ",completed,1,2," not in boot_csv:
        fail(f"the CSV copy differs from `repcue history --csv`: {boot_csv!r} {cli_csv!r}")

    # hold start on an offer: start over
    play_until(repcue, routine, env, work, "work: Rows, set 1", ["running at Rows, set 1"])
    lines = lobby_until_countdown(repcue, routine, env, "start@2:900,start@9")
    text = "".join(lines)
    if "Last time you stopped at Rows, set 1" not in text:
        fail("no offer before the hold")
    if 'say "Tiny. Press start when you are ready."' not in text:
        fail("holding start did not go back to the plain lobby")
    segs = [l for l in after(lines, "press start") if " segment " in l]
    if not segs or "segment 1 " not in segs[0]:
        fail(f"start after the hold did not start over: {segs[:1]}")

    # the routine file changed since it stopped: say so, start over
    changed = os.path.join(work, "changed.yaml")
    shutil.copy(routine, changed)
    play_until(repcue, changed, env, work, "work: Rows, set 2", ["running at Rows, set 2"])
    with open(changed, "a") as f:
        f.write("# edited after the session stopped\n")
    lines = lobby_until_countdown(repcue, changed, env, "start@3")
    text = "".join(lines)
    if "but the routine has changed since, so we start from the beginning" not in text:
        fail("a changed routine was not said")
    segs = [l for l in after(lines, "press start") if " segment " in l]
    if not segs or "segment 1 " not in segs[0]:
        fail(f"a changed routine did not start over: {segs[:1]}")

    # a damaged database: moved aside, said and logged, a new one started
    db = os.path.join(env["REPCUE_STATE_DIR"], "history.db")
    for suffix in ("-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    with open(db, "wb") as f:
        f.write(bytes((i * 7 + 13) % 256 for i in range(16384)))
    err_path = os.path.join(work, "damaged-stderr.txt")
    with open(err_path, "w") as err_file:
        p, out_path = start_play(repcue, routine, env, work, ["--wait-for-start"], stderr=err_file)
    # the lobby has said it (and waits for start): then stop it
    wait_for(lambda: "Your exercise history was damaged" in read(out_path), p, "the damaged database said")
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=30)
    out, err = read(out_path), read(err_path)
    if "Your exercise history was damaged, so I put it aside and started a new one." not in out:
        fail("a damaged database was not said")
    if len([l for l in err.splitlines() if "was damaged: moved it to" in l]) != 1:
        fail(f"a damaged database was not logged once: {err}")
    if not [n for n in os.listdir(env["REPCUE_STATE_DIR"]) if n.startswith("history.db.damaged-")]:
        fail("the damaged database was not kept aside")
    if p.returncode != 0:
        fail(f"exit {p.returncode} after a damaged database")
    if not failures:
        print("resume: cut off in set 2, offered and resumed at set 2 after its countdown; history, CSV, "
              "start-over, a changed file and a damaged database as expected")


def mode_full(repcue, routine, work):
    if os.environ.get("REPCUE_PRIVATE_MOUNT") != "1":
        if os.geteuid() != 0 or not shutil.which("unshare"):
            print("SKIP: needs root and unshare to mount a small tmpfs in a private mount namespace")
            sys.exit(SKIP)
        env = dict(os.environ, REPCUE_PRIVATE_MOUNT="1")
        r = subprocess.run(["unshare", "--mount", "--propagation", "private", sys.executable] + sys.argv, env=env)
        sys.exit(r.returncode)
    env = make_env(work)
    state = env["REPCUE_STATE_DIR"]
    os.makedirs(state)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "repcue-state", state]).returncode != 0:
        print("SKIP: cannot mount a tmpfs here")
        sys.exit(SKIP)
    try:
        # a good session first, so the database exists; then fill the disk
        r = play(repcue, routine, env, "--press", "next@1,next@2,next@3,next@4,next@5")
        if r.returncode != 0:
            fail(f"first session: {r.returncode} {r.stderr}")
        def fill():
            fd = os.open(os.path.join(state, "filler"), os.O_WRONLY | os.O_CREAT | os.O_APPEND)
            try:
                while os.write(fd, b"\0" * 4096) > 0:
                    pass
            except OSError:
                pass
            os.close(fd)

        def check(r, what):
            problems = [l for l in r.stderr.splitlines() if "history" in l]
            print("\n".join(problems))
            if r.returncode != 0 or "end of session" not in r.stdout:
                fail(f"{what}: the session was not coached to its end: {r.returncode}")
            if len(problems) != 1 or "disk is full" not in problems[0] or "coaching goes on" not in problems[0]:
                fail(f"{what}: the problem was not logged exactly once: {problems}")

        # the disk fills up during a session: the writes fail. Filled once
        # the history shows this session running (its start was written:
        # not "full at the start") and while the process is stopped, so
        # its end cannot be written before the disk is full.
        err_path = os.path.join(work, "full-stderr.txt")
        with open(err_path, "w") as err_file:
            p, out_path = start_play(repcue, routine, env, work, ["--press", "next@8,next@9,next@10,next@11,next@12"],
                                     stderr=err_file)
        wait_for(lambda: "running at" in history_now(repcue, env), p, "the session recorded as running")
        p.send_signal(signal.SIGSTOP)
        if "end of session" in read(out_path) or "running at" not in history_now(repcue, env):
            fail("disk full during the session: the session ended before the disk was filled")
        fill()
        p.send_signal(signal.SIGCONT)
        p.wait(timeout=120)
        check(subprocess.CompletedProcess(p.args, p.returncode, read(out_path), read(err_path)),
              "disk full during the session")
        # full before the session: the history cannot be opened
        r = play(repcue, routine, env, "--press", "next@1,next@2,next@3,next@4,next@5")
        check(r, "disk full at the start")

        # read-only: the history cannot even be opened for writing
        subprocess.run(["mount", "-o", "remount,ro", state], check=True)
        r = play(repcue, routine, env, "--wait-for-start", "--simulate", "start@1")
        problems = [l for l in r.stderr.splitlines() if "history" in l]
        print("\n".join(problems))
        if r.returncode != 0 or "end of session" not in r.stdout:
            fail(f"read-only: the session was not coached to its end: {r.returncode}")
        if len(problems) != 1 or "coaching goes on" not in problems[0]:
            fail(f"read-only: the problem was not logged exactly once: {problems}")
        if "I cannot keep your exercise history" not in r.stdout:
            fail("read-only: the problem was not said")
    finally:
        subprocess.run(["umount", "-l", state])
    if not failures:
        print("full and read-only state directory: coached to the end, the problem said once and logged once")


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    mode, repcue, routine = sys.argv[1:4]
    work = tempfile.mkdtemp(prefix="repcue-history-%s-" % mode)
    try:
        {"resume": mode_resume, "full": mode_full}[mode](repcue, routine, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
