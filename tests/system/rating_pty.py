#!/usr/bin/env python3
"""How did that feel (issue 19 item 7), through the real binary: `repcue
play --wait-for-start`, the null output pacing the session in real time,
a hermetic state directory and card folder.

 1. answered: the terminal keys on a pseudo-terminal (a key is a tap).
    Start is pressed once the lobby is said; after the session, once the
    question is said, one key: easy. The next lobby says "Recorded: easy."
    first; then q. history.csv's last column and `repcue history` say easy.
 2. silence: `--simulate start@1` (no keys). Nobody answers: after the
    timeout the run ends by itself (a --simulate run is one session), the
    session is in history.csv with its rating column empty.

Every wait is for a condition (a line of the transcript, the process's
end), bounded by a deadline; never a sleep.

    rating_pty.py REPCUE ROUTINE

Exit 0 pass, 1 fail, 77 skipped (no pty).
"""
import csv
import fcntl
import os
import select
import subprocess
import sys
import tempfile
import termios
import time

repcue, routine = sys.argv[1:3]
failures = []
QUESTION = "How did that feel?"
WAIT_S = 180  # for a condition; the session itself is about 40 s


def fail(msg):
    failures.append(msg)
    print("FAILED: " + msg, file=sys.stderr)


def controlling_tty():
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def make_env(work):
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPCUE_")}
    env.update(HOME=work, XDG_STATE_HOME=f"{work}/xdg", XDG_CACHE_HOME=f"{work}/cache",
               XDG_CONFIG_HOME=f"{work}/config", XDG_RUNTIME_DIR=work, TERM="xterm",
               REPCUE_STATE_DIR=f"{work}/state", REPCUE_CACHE_DIR=f"{work}/speech",
               REPCUE_BOOT_DIR=f"{work}/boot")
    os.makedirs(f"{work}/boot/repcue")
    return env


def rows(work):
    with open(f"{work}/boot/repcue/history.csv", newline="") as f:
        return list(csv.reader(f))


class Transcript:
    """The lines play says (stdout), read as they come."""

    def __init__(self, proc):
        self.proc, self.buf, self.said = proc, b"", []

    def wait_for(self, text, what):
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            for line in self.said:
                if text in line:
                    self.said = self.said[self.said.index(line) + 1:]
                    return line
            r, _, _ = select.select([self.proc.stdout], [], [], 0.5)
            if r:
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                self.buf += chunk
                *lines, self.buf = self.buf.split(b"\n")
                self.said += [l.decode(errors="replace") for l in lines if b' say "' in l]
        fail(f"{what}: not said within {WAIT_S} s (exit {self.proc.poll()})")
        return None


def answered(work):
    try:
        master, slave = os.openpty()
    except OSError as e:
        print(f"SKIP: no pseudo-terminal: {e}")
        sys.exit(77)
    env = make_env(work)
    err_path = f"{work}/answered.err"
    with open(err_path, "w") as err:
        proc = subprocess.Popen([repcue, "play", routine, "--output", "null", "--config", "none",
                                 "--wait-for-start", "--transcript"], stdin=slave, stdout=subprocess.PIPE,
                                stderr=err, env=env, close_fds=True, preexec_fn=controlling_tty)
    os.close(slave)
    t = Transcript(proc)
    try:
        if t.wait_for("Press start", "the first lobby"):
            os.write(master, b"s")
        if t.wait_for(QUESTION, "the question after the session"):
            os.write(master, b"n")  # any key is a tap: easy
        line = t.wait_for("Press start", "the lobby after the answer")
        if line and "Recorded: easy." not in line:
            fail(f"the lobby does not say back the rating first: {line}")
    finally:
        if proc.poll() is None:
            os.write(master, b"q")
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            fail("play did not quit on q")
        os.close(master)
    log = open(err_path).read()
    if "the session felt easy: recorded" not in log:
        fail("the log does not say what was recorded:\n" + log[-2000:])
    r = rows(work)
    if not r or r[0][-1] != "rating" or len(r) != 2 or r[1][5] != "completed" or r[1][-1] != "easy":
        fail(f"history.csv: not one completed session rated easy: {r}")
    h = subprocess.run([repcue, "history"], capture_output=True, text=True, env=env, timeout=60)
    if "rated easy" not in h.stdout:
        fail("repcue history does not show the rating:\n" + h.stdout)
    if not failures:
        print("answered with a key: recorded easy, said back in the next lobby, in history.csv and the table")


def silence(work):
    env = make_env(work)
    p = subprocess.run([repcue, "play", routine, "--output", "null", "--config", "none", "--no-keys",
                        "--wait-for-start", "--transcript", "--simulate", "start@1"],
                       capture_output=True, text=True, env=env, timeout=WAIT_S, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        fail(f"silence: exit {p.returncode}:\n{p.stderr[-2000:]}")
    if QUESTION not in p.stdout:
        fail("silence: the question was not asked:\n" + p.stdout[-2000:])
    if "no answer to how the session felt" not in p.stderr:
        fail("silence: the skip is not logged:\n" + p.stderr[-2000:])
    if "Recorded:" in p.stdout:
        fail("silence: something was said back")
    r = rows(work)
    if len(r) != 2 or r[1][5] != "completed" or r[1][-1] != "":
        fail(f"silence: history.csv: not one completed session without a rating: {r}")
    if not failures:
        print("silence: the question skipped, the run ended, the session kept without a rating")


def main():
    with tempfile.TemporaryDirectory(prefix="repcue-rating-") as work:
        os.makedirs(f"{work}/a")
        os.makedirs(f"{work}/b")
        answered(f"{work}/a")
        silence(f"{work}/b")
    print(f"rating_pty: {'0 failed' if not failures else '%d failed' % len(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
