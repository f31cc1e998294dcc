#!/usr/bin/env python3
"""Issue 11 item 8, through the real binary, PortAudio, ALSA's jack plugin
and a JACK dummy server: the sound device stalls and comes back while the
user has paused. The session must stay paused (no "Resuming." until the
user's own resume press), and that press must resume it.

  pause_recovery.py REPCUE ROUTINE ALSA_JACK_CONF

Run it through tests/system/private-shm (JACK keeps its state in /dev/shm).
Exit 77 (skip) with the reason when JACK is missing or will not start.
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from repcue_test import SKIP, fail, session_seconds  # noqa: E402


def main():
    repcue, routine, alsa_conf = sys.argv[1:4]
    for tool in ("jackd", "jack_lsp"):
        if not shutil.which(tool):
            print("SKIP: %s not installed (apt-get install jackd2, and jack-example-tools on "
                  "trixie, libasound2-plugins)" % tool)
            sys.exit(SKIP)
    work = tempfile.mkdtemp(prefix="repcue-pause-recovery-")
    name = "repcue-pause-recovery-%d" % os.getpid()
    env = dict(os.environ, JACK_DEFAULT_SERVER=name, JACK_NO_START_SERVER="1",
               ALSA_CONFIG_PATH=alsa_conf, HOME=work, XDG_CACHE_HOME=os.path.join(work, "cache"),
               XDG_CONFIG_HOME=os.path.join(work, "config"), XDG_STATE_HOME=os.path.join(work, "state"),
               REPCUE_CACHE_DIR=os.path.join(work, "cache"))
    jack = subprocess.Popen(["jackd", "--no-realtime", "-d", "dummy", "-r", "48000", "-p", "256"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=os.setsid)
    play = None
    try:
        for _ in range(100):
            r = subprocess.run(["jack_lsp"], env=env, capture_output=True)
            if r.returncode == 0 and b"system:playback_1" in r.stdout:
                break
            if jack.poll() is not None:
                break
            time.sleep(0.1)
        else:
            r = None
        if r is None or r.returncode != 0 or jack.poll() is not None:
            print("SKIP: jackd did not start with the dummy driver")
            sys.exit(SKIP)
        # paused from 4 s to 16 s of session time; the device stalls and
        # comes back in between
        play = subprocess.Popen([repcue, "play", routine, "--no-keys", "--transcript", "--config", "none",
                                 "--press", "pause@4,pause@16"], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, bufsize=1)
        # stderr read as it comes, so the stall below can wait for its report
        err_lines = []

        def read_err():
            for line in play.stderr:
                err_lines.append(line)

        err_reader = threading.Thread(target=read_err, daemon=True)
        err_reader.start()
        stall_said = re.compile(r"(stopped|lost|gone|stall|not respond)", re.I)
        lines = []
        for line in play.stdout:
            lines.append(line)
            if "press pause" in line:
                break
        if not lines or "press pause" not in lines[-1]:
            fail("no pause in the transcript: %s" % "".join(lines[-5:]))
        time.sleep(1.0)
        os.killpg(jack.pid, signal.SIGSTOP)   # the server hangs: the device stalls
        # for 3 s, and on until repcue has reported it (at most 30 s): waited
        # for, so that a slow machine does not make the recovery a skip
        stopped, said_before = time.monotonic(), len(err_lines)
        while time.monotonic() - stopped < 30 and not (
                time.monotonic() - stopped >= 3.0 and stall_said.search("".join(err_lines[said_before:]))):
            time.sleep(0.1)
        os.killpg(jack.pid, signal.SIGCONT)   # and comes back
        # The rest of the session (about a minute); bounded, because a
        # session paused again by the resume press never ends.
        reader = threading.Thread(target=lambda: lines.extend(play.stdout), daemon=True)
        reader.start()
        try:
            play.wait(timeout=150)
        except subprocess.TimeoutExpired:
            play.kill()
            play.wait()
        reader.join(timeout=10)
        err_reader.join(timeout=10)
        err = "".join(err_lines)
        print(err.strip())
        said = [(session_seconds(l), l.strip()) for l in lines if ' say "' in l]
        resuming = [t for t, l in said if '"Resuming."' in l]
        paused = [t for t, l in said if '"Paused."' in l]
        print("said: " + "; ".join("%.2f %s" % (t, l.split(" say ", 1)[1]) for t, l in said
                                   if "Paused" in l or "Resuming" in l))
        stalled = stall_said.search(err)
        if not stalled:
            print("SKIP: the stalled JACK server was not noticed as a device problem here, "
                  "so there was no recovery to test")
            sys.exit(SKIP)
        if len(paused) != 1:
            fail("'Paused.' said %d times: the resume press paused again" % len(paused))
        if len(resuming) != 1 or resuming[0] < 16.0:
            fail("'Resuming.' at %s: the device coming back un-paused the session" % resuming)
        if play.returncode != 0:
            fail("play exited %d" % play.returncode)
        if "end of session" not in "".join(lines):
            fail("the session did not run to its end")
        print("pause_recovery: the device stalled and came back while paused; 'Resuming.' only at "
              "the user's press (%.2f s)" % resuming[0])
    finally:
        if play and play.poll() is None:
            play.kill()
        try:
            os.killpg(jack.pid, signal.SIGCONT)
            os.killpg(jack.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        jack.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
