#!/usr/bin/env python3
"""What repcue tells systemd, through the real binary and libsystemd's
sd_notify: this script binds the NOTIFY_SOCKET and sets WATCHDOG_USEC as
systemd does for a unit with Type=notify and WatchdogSec=.

  status   null output, real-time pacing: READY=1, then STATUS= saying what
           it waits for ("Waiting for the start button: Tiny"), then what
           plays; WATCHDOG=1 about every half interval while samples flow;
           STOPPING=1 on SIGTERM.
  wedged   a real PortAudio -> ALSA -> JACK path with the JACK dummy
           server; the server is frozen (SIGSTOP), so the sound device
           stops taking samples without going away: WATCHDOG=1 must stop
           (systemd would restart the service), and come back once the
           server runs again (SIGCONT).
  journal  where the coach's fd 2 goes while it waits in the lobby: to
           /dev/null (PortAudio's own lines kept off a terminal), but not
           when JOURNAL_STREAM names that very stderr, as systemd sets it
           for a service whose stderr is the journal: there a library's
           last words before an abort must reach the log.

usage: notify_test.py MODE REPCUE ROUTINE [ALSA_JACK_CONF]
Exit 77 (skip) when the machine lacks what a mode needs.
"""
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import play_test  # noqa: E402  (its JACK helpers)

SKIP = 77
WATCHDOG_S = 1.0
LOST_GRACE_INTERVALS = 3   # WATCHDOG_LOST_GRACE_INTERVALS in src/core/watchdog.h
FREEZE_S = 9.0


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from repcue_test import fail  # noqa: E402


class Notified:
    """The notify socket, with every message and when it came."""

    def __init__(self, work):
        self.path = os.path.join(work, "notify.sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.t0 = time.monotonic()
        self.msgs = []

    def pump(self, seconds):
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            r, _, _ = select.select([self.sock], [], [], left)
            if r:
                for m in self.sock.recv(4096).decode(errors="replace").split("\n"):
                    if m:
                        self.msgs.append((time.monotonic() - self.t0, m))

    def pings(self, start, end):
        return [t for t, m in self.msgs if m == "WATCHDOG=1" and start <= t < end]

    def statuses(self):
        return [m[len("STATUS="):] for _, m in self.msgs if m.startswith("STATUS=")]


def start(repcue, routine, work, notified, extra_env, args):
    env = dict(os.environ, NOTIFY_SOCKET=notified.path, WATCHDOG_USEC=str(int(WATCHDOG_S * 1e6)),
               REPCUE_CACHE_DIR=os.path.join(work, "cache"), REPCUE_BOOT_DIR=os.path.join(work, "boot"),
               HOME=work, XDG_CACHE_HOME=os.path.join(work, "xdg"))
    env.pop("REPCUE_CONFIG", None)
    env.update(extra_env)
    return subprocess.Popen([repcue, "play", routine, "--no-keys", "--transcript", "--config", "none"] + args,
                            env=env, cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def mode_status(repcue, routine, work):
    n = Notified(work)
    # a scripted start at 3 s ends the lobby
    p = start(repcue, routine, work, n, {}, ["--wait-for-start", "--output", "null", "--press", "start@3"])
    try:
        n.pump(6.0)
    finally:
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=30)
        n.pump(0.3)
    for t, m in n.msgs:
        print("%6.2f  %s" % (t, m))
    kinds = [m for _, m in n.msgs]
    if not kinds or kinds[0] != "READY=1":
        fail("READY=1 was not the first message")
    st = n.statuses()
    if "Waiting for the start button: Tiny" not in st:
        fail("no STATUS= saying it waits for the start button")
    if not any(s.startswith("Playing Tiny") for s in st):
        fail("no STATUS= saying what plays")
    if "STOPPING=1" not in kinds:
        fail("no STOPPING=1 on SIGTERM")
    # from the first ping on, one about every half interval
    pings = n.pings(0, 1e9)
    if len(pings) < 4:
        fail("only %d WATCHDOG=1 in 6 s with a %.1f s watchdog" % (len(pings), WATCHDOG_S))
    gaps = [b - a for a, b in zip(pings, pings[1:])]
    if max(gaps) > WATCHDOG_S:
        fail("a gap of %.2f s between pings: systemd would have restarted it" % max(gaps))
    print("status: READY=1, %d STATUS= lines, %d pings (largest gap %.2f s), STOPPING=1"
          % (len(st), len(pings), max(gaps)))


def mode_journal(repcue, routine, work):
    cases = [("unset", None, "/dev/null"), ("this stderr", "self", "pipe:"),
             ("another stream (inherited)", "1:1", "/dev/null")]
    for name, stream, want in cases:
        n = Notified(work)
        extra = {}
        r, w = os.pipe()
        if stream == "self":
            st = os.fstat(w)
            extra["JOURNAL_STREAM"] = "%d:%d" % (st.st_dev, st.st_ino)
        elif stream:
            extra["JOURNAL_STREAM"] = stream
        env = {k: v for k, v in os.environ.items() if k != "JOURNAL_STREAM"}
        env.update(NOTIFY_SOCKET=n.path, REPCUE_CACHE_DIR=os.path.join(work, "cache"),
                   REPCUE_BOOT_DIR=os.path.join(work, "boot"), HOME=work,
                   XDG_CACHE_HOME=os.path.join(work, "xdg"))
        env.pop("REPCUE_CONFIG", None)
        env.update(extra)
        p = subprocess.Popen([repcue, "play", routine, "--no-keys", "--config", "none", "--wait-for-start",
                              "--output", "null"], env=env, cwd=work, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=w)
        os.close(w)
        try:
            # READY=1 comes once play listens, after it chose where its
            # messages go
            end = time.monotonic() + 60
            while "READY=1" not in [m for _, m in n.msgs] and time.monotonic() < end and p.poll() is None:
                n.pump(0.2)
            if "READY=1" not in [m for _, m in n.msgs]:
                fail("%s: no READY=1 within 60 s" % name)
            fd2 = os.readlink("/proc/%d/fd/2" % p.pid)
        finally:
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=30)
            os.close(r)
            n.sock.close()
            os.unlink(n.path)
        print("JOURNAL_STREAM %s: fd 2 is %s" % (name, fd2))
        if not fd2.startswith(want):
            fail("JOURNAL_STREAM %s: fd 2 is %s, not %s" % (name, fd2, want))


def mode_wedged(repcue, routine, work, alsa_conf):
    play_test.need_jack()
    jack = play_test.Jack("repcue-wedged-%d" % os.getpid())
    if not jack.start():
        jack.kill()
        print("SKIP: jackd did not start with the dummy driver")
        sys.exit(SKIP)
    p = None
    n = Notified(work)
    try:
        p = start(repcue, routine, work, n,
                  {"ALSA_CONFIG_PATH": alsa_conf, "JACK_DEFAULT_SERVER": jack.name, "JACK_NO_START_SERVER": "1"},
                  ["--wait-for-start"])
        # until the lobby is up and pinging
        for _ in range(60):
            n.pump(0.5)
            if n.pings(0, 1e9):
                break
        n.pump(2.0)
        t_freeze = time.monotonic() - n.t0
        os.killpg(jack.proc.pid, signal.SIGSTOP)
        n.pump(FREEZE_S)
        t_thaw = time.monotonic() - n.t0
        os.killpg(jack.proc.pid, signal.SIGCONT)
        n.pump(3.0)
    finally:
        if p:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        if jack.proc:
            try:
                os.killpg(jack.proc.pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
        jack.kill()
    before = n.pings(t_freeze - 2.0, t_freeze)
    # The output notices the stall and reports the device lost; while it
    # reopens it, pings go on for the grace (core/watchdog.h), then stop.
    grace_end = t_freeze + (LOST_GRACE_INTERVALS + 1) * WATCHDOG_S + 1.0
    frozen = n.pings(grace_end, t_thaw)
    after = n.pings(t_thaw, t_thaw + 3.0)
    print("wedged: pings in the 2 s before the freeze %d, in the last %.1f s of the %.0f s freeze %d, "
          "in the 3 s after %d" % (len(before), t_thaw - grace_end, FREEZE_S, len(frozen), len(after)))
    print("statuses: %s" % n.statuses())
    if len(before) < 2:
        fail("no pings while the device played")
    if frozen:
        fail("WATCHDOG=1 went on while the sound device took no samples")
    if not after:
        fail("no WATCHDOG=1 after the device ran again")


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    mode, repcue, routine = sys.argv[1:4]
    work = tempfile.mkdtemp(prefix="repcue-notify-")
    try:
        if mode == "status":
            mode_status(repcue, routine, work)
        elif mode == "journal":
            mode_journal(repcue, routine, work)
        elif mode == "wedged":
            mode_wedged(repcue, routine, work, sys.argv[4])
        else:
            print(__doc__)
            return 2
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
