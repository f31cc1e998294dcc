"""repcue_test - what the Python tests of the binary share: how a test
fails, skips and counts its checks, and how it reads the transcript's
session times. A test finds this module next to its own folder:

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
    import repcue_test

Exit codes as everywhere in tests/: 0 pass, 1 fail, 77 skipped.
"""
import re
import sys

SKIP = 77

# Checks that failed so far (check()); done() turns it into the exit status.
failures = 0


def fail(msg):
    """The test cannot go on: say why and exit 1."""
    print("FAIL: " + msg)
    sys.exit(1)


def skip(msg):
    """The machine lacks what the test needs: say what and exit 77."""
    print("SKIP: " + msg)
    sys.exit(SKIP)


def check(cond, what, output="", tail=None):
    """One check that lets the test go on: prints "ok: what" or
    "FAILED: what" and then the output (its last `tail` lines when given)."""
    global failures
    if cond:
        print("ok:", what)
        return True
    failures += 1
    print("FAILED:", what)
    if output and tail:
        print("  output:\n    " + "\n    ".join(output.splitlines()[-tail:]))
    elif output:
        print("---- output ----\n" + output + "\n----------------")
    return False


def done(name=None):
    """The exit status for the checks made: 0, or 1 when any failed."""
    print("%s%d failed" % (name + ": " if name else "", failures))
    return 1 if failures else 0


def session_seconds(line):
    """Session time of a transcript line ("00:01:02.345 ..."), in seconds,
    or None when the line does not start with one."""
    m = re.match(r"(\d\d):(\d\d):(\d\d)\.(\d\d\d)\s", line)
    if not m:
        return None
    h, mi, s, ms = (int(x) for x in m.groups())
    return h * 3600 + mi * 60 + s + ms / 1000.0


def said_until(argv, env, cwd, is_lobby, want, timeout_s, between=None, each=None):
    """Runs `repcue play ... --transcript` and collects the lines it says
    until `want` of them satisfy is_lobby(line); calls between() after the
    first, and each(n) after the n-th (from 1). Then SIGTERM. Returns (said lines, stderr); fails the test when
    play ends or stays silent first, or exits other than 0/SIGTERM."""
    import subprocess
    import time
    p = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    said, lobbies = [], 0
    deadline = time.monotonic() + timeout_s
    try:
        for line in p.stdout:
            if time.monotonic() > deadline:
                fail("no lobby line in %d s" % timeout_s)
            if ' say "' in line:
                said.append(line.split(' say "', 1)[1].rstrip().rstrip('"'))
                if is_lobby(said[-1]):
                    lobbies += 1
                    if lobbies == 1 and between:
                        between()
                    if each:
                        each(lobbies)
                    if lobbies >= want:
                        break
    finally:
        p.terminate()
        try:
            _, err = p.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            fail("play did not stop on SIGTERM")
    if lobbies < want:
        fail("play ended after %d lobby lines (exit %s):\n%s" % (lobbies, p.returncode, err))
    if p.returncode not in (0, -15):
        fail("play exited %s on SIGTERM:\n%s" % (p.returncode, err))
    return said, err
