#!/usr/bin/env python3
"""End-to-end test of `repcue hw-test`: the real binary in a real
pseudo-terminal, driven by typed keys, q, Ctrl-C, --seconds and simulated
presses (--simulate, through the real gesture decoder); also without any
config, with a bad config, and usage errors.

    hw_test_pty.py REPCUE SOURCE_DIR TEST_DIR

$HW_TEST_WRAPPER (e.g. "valgrind -q --error-exitcode=99") is put in front
of the binary. Exit 0 pass, 1 fail, 77 skipped (no pty).
"""
import fcntl
import os
import re
import select
import shlex
import subprocess
import sys
import termios
import time

repcue, src, testdir = sys.argv[1:4]
wrapper = shlex.split(os.environ.get("HW_TEST_WRAPPER", ""))
slow = 4 if wrapper else 1  # valgrind runs the binary ~20x slower
example = os.path.join(src, "hw", "config.example.yaml")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from repcue_test import check, done  # noqa: E402


def env_without_config(**extra):
    env = dict(os.environ)
    env.pop("REPCUE_CONFIG", None)
    env.update(extra)
    return env


def controlling_tty():
    """In the child: a session of its own with the pty as its
    controlling terminal, so Ctrl-C typed there raises SIGINT."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def run_pty(args, keys=(), env=None, limit=30):
    """Runs repcue hw-test ARGS on a new pty. keys: (seconds after the
    'listening on' line, bytes). Returns (rc, output, seconds, lflag of
    the pty after exit)."""
    master, slave = os.openpty()
    start = time.monotonic()
    proc = subprocess.Popen(wrapper + [repcue, "hw-test"] + args, stdin=slave,
                            stdout=slave, stderr=slave, env=env or env_without_config(),
                            close_fds=True, preexec_fn=controlling_tty)
    out = b""
    listening_at = None
    pending = list(keys)
    deadline = start + limit * slow
    while time.monotonic() < deadline:
        r, _, _ = select.select([master], [], [], 0.05)
        if r:
            try:
                data = os.read(master, 4096)
            except OSError:
                data = b""
            out += data
        if listening_at is None and b"press q or Ctrl-C" in out:
            listening_at = time.monotonic()
        while pending and listening_at is not None and \
                time.monotonic() >= listening_at + pending[0][0]:
            os.write(master, pending.pop(0)[1])
        if proc.poll() is not None and not r:
            break
    if proc.poll() is None:
        proc.kill()
    rc = proc.wait()
    seconds = time.monotonic() - start
    # the child is gone; its terminal mode stays on the pty
    lflag = termios.tcgetattr(slave)[3]
    os.close(master)
    os.close(slave)
    text = out.decode("utf-8", "replace").replace("\r\n", "\n")
    return rc, text, seconds, lflag


def run_plain(args, env=None):
    proc = subprocess.run(wrapper + [repcue, "hw-test"] + args, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, env=env or env_without_config(),
                          timeout=60 * slow)
    return proc.returncode, proc.stdout, proc.stderr


def restored(lflag):
    return bool(lflag & termios.ICANON) and bool(lflag & termios.ECHO)


try:
    os.close(os.openpty()[0])
except OSError as e:
    print("skipped: no pseudo-terminals here:", e)
    sys.exit(77)

# 1. The example config on a machine without those GPIO lines, presses
#    simulated through the decoder, keys typed on the terminal.
rc, out, secs, lflag = run_pty(
    ["--config", example, "--quiet", "--seconds", "3",
     "--simulate", "next@0.3,pedal@0.6,pedal@0.75,start@1.0:900"],
    keys=[(0.2, b"n"), (0.4, b"x "), (0.5, b"a")])
check(rc == 0, "example config, --seconds 3: exit 0 (got %d)" % rc, out)
check(2.5 < secs < 3 + 10 * slow, "stopped after about 3 s (%.1f s)" % secs)
for label, pin in (("start button", "GPIO17"), ("next button", "GPIO27"),
                   ("repeat button", "GPIO22"), ("pedal", "GPIO23")):
    lines = [l for l in out.splitlines() if l.startswith(label + ": gpio " + pin)]
    check(len(lines) == 1 and "gpioinfo" in lines[0],
          "one line for %s naming the fix" % label, out)
check(re.search(r"^simulated next button: tap \(acted 110 ms after the first edge\) -> next$",
                out, re.M), "next tap: after the release settled (80 ms + 30 ms lockout)", out)
check(re.search(r"^simulated pedal: double-tap \(acted 50 ms after the first edge\) -> repeat$",
                out, re.M), "pedal double tap, 50 ms lockout into the second press", out)
check(re.search(r"^simulated start button: hold \(acted 700 ms after the first edge\) "
                r"-> choose-routine$", out, re.M), "start hold at 700 ms", out)
check(re.search(r"^keyboard: next$", out, re.M) and re.search(r"^keyboard: pause$", out, re.M)
      and re.search(r"^keyboard: say-again$", out, re.M), "typed keys n, space, a", out)
check("no sound device" not in out and "speaking" not in out, "--quiet: no speech at all", out)
check(restored(lflag), "terminal mode restored after --seconds")

# 2. q stops at once and restores the terminal.
rc, out, secs, lflag = run_pty(["--config", example, "--quiet", "--seconds", "60"],
                               keys=[(0.3, b"q")])
check(rc == 0 and secs < 5 * slow, "q: exit 0 at once (%d, %.1f s)" % (rc, secs), out)
check(restored(lflag), "terminal mode restored after q")

# 3. Ctrl-C (SIGINT from the tty) stops it too, through the self-pipe.
rc, out, secs, lflag = run_pty(["--config", example, "--quiet", "--seconds", "60"],
                               keys=[(0.3, b"\x03")])
check(rc == 0 and secs < 5 * slow, "Ctrl-C: exit 0 at once (%d, %.1f s)" % (rc, secs), out)
check(restored(lflag), "terminal mode restored after Ctrl-C")

# 4. No config at all: told how to configure; keys still work on a tty;
#    without a tty there is nothing to do: exit 0 at once.
if os.path.exists("/etc/repcue/config.yaml"):
    print("note: /etc/repcue/config.yaml exists: the no-config cases are not run")
else:
    rc, out, secs, lflag = run_pty(["--quiet", "--seconds", "2"], keys=[(0.2, b"r")])
    check(rc == 0 and "no inputs configured" in out and "hw/config.example.yaml" in out
          and re.search(r"^keyboard: repeat$", out, re.M),
          "no config on a tty: how to configure, then the keys", out)
    rc, sout, serr = run_plain(["--quiet", "--seconds", "2"])
    check(rc == 0 and "no inputs configured" in sout and "nothing to listen to" in sout,
          "no config, no tty: exit 0 with how to configure", sout + serr)

# 5. Config errors: exit 1 with file:line:col diags.
rc, sout, serr = run_plain(["--config", os.path.join(testdir, "bad", "roles.yaml")])
check(rc == 1 and re.search(r"roles\.yaml:\d+:11: error: unknown role 'nxt' in input 1", serr)
      and "did you mean 'next'?" in serr, "bad config: exit 1, diags", sout + serr)
rc, sout, serr = run_plain(["--config", "/nonexistent/repcue.yaml"])
check(rc == 1 and "cannot open" in serr, "missing --config file: exit 1", sout + serr)
rc, sout, serr = run_plain([], env=env_without_config(REPCUE_CONFIG="/nonexistent/env.yaml"))
check(rc == 1 and "/nonexistent/env.yaml" in serr, "$REPCUE_CONFIG is used", sout + serr)

# 6. Usage errors: exit 2.
for args in (["--seconds", "0"], ["--seconds", "x"], ["--bogus"], ["extra"],
             ["--simulate", "elbow@1"], ["--simulate", "next"]):
    rc, sout, serr = run_plain(args)
    check(rc == 2, "usage %s: exit 2 (got %d)" % (" ".join(args), rc), sout + serr)
rc, sout, serr = run_plain(["--help"])
check(rc == 0 and "usage: repcue hw-test" in sout, "--help")

# 7. (Not under valgrind: PortAudio's host APIs and the ALSA plugins they
#    dlopen leak and read uninitialised memory of their own, which would
#    bury ours; the sanitizer build runs these.)
if wrapper:
    sys.exit(done("hw_test (speech cases left to the non-valgrind runs)"))

# 8. Speech on: without a sound device (this machine's own state; where
#    it has one, it speaks) it prints only; with the ALSA null device
#    (emulated: a device that swallows everything) it speaks.
# PortAudio finding no device leaks from a library constructor of a host
# API module it dlopens and unloads again (LeakSanitizer: "<unknown
# module>"); not ours, so leak detection is off for this one run.
asan = os.environ.get("ASAN_OPTIONS", "")
rc, out, secs, lflag = run_pty(["--config", example, "--seconds", "2",
                                "--simulate", "next@0.2"],
                               env=env_without_config(
                                   ASAN_OPTIONS=(asan + ":" if asan else "") + "detect_leaks=0"))
check(rc == 0 and ("no sound device: printing only" in out or "speaking through" in out)
      and "simulated next button: tap" in out, "speech on, the machine's sound device", out)
alsa_null = os.path.join(os.environ.get("TMPDIR", "/tmp"), "repcue-hw-test-%d.conf" % os.getpid())
with open(alsa_null, "w") as f:
    f.write("pcm.!default { type null }\nctl.!default { type hw card 0 }\n")
try:
    rc, out, secs, lflag = run_pty(["--config", example, "--seconds", "2",
                                    "--simulate", "next@0.2,pedal@0.5,pedal@0.65"],
                                   env=env_without_config(ALSA_CONFIG_PATH=alsa_null))
finally:
    os.unlink(alsa_null)
if "no sound device" in out:
    print("note: PortAudio would not open the ALSA null device here; speech not exercised")
    print(out)
else:
    check(rc == 0 and "speaking through" in out and "simulated pedal: double-tap" in out,
          "speech through the ALSA null device: eSpeak NG, ring, pull callback", out)

sys.exit(done("hw_test"))
