#!/usr/bin/env python3
"""Issue 11 items 5 and 6: PortAudio never aborts or hangs repcue.

Usage: probe_test.py alsa|jack REPCUE SOURCE_DIR

alsa: an empty, a missing and an unreadable ALSA configuration
  (ALSA_CONFIG_PATH), and a syntax error in ~/.asoundrc. PortAudio 19.6
  aborted `repcue play` (exit 134) on the first three and gave only
  "Unanticipated host error" on the last. Expected: a message naming the
  ALSA file and the fix, then the no-device fallback (render to the
  fallback WAV, exit 0); `repcue hw-test` prints only, exit 0. And an
  ALSA configuration emptied while repcue recovers from a device failure
  (re-initialising PortAudio then aborted it) leaves it running.
jack: a JACK server socket in /dev/shm that never answers (what a stopped
  or wedged jackd leaves) made Pa_Initialize block: `repcue play` exited 1
  without a fallback, and `--wait-for-device` leaked a stuck thread every
  2 s. Expected: the message names the socket, the fallback runs; waiting
  keeps at most one probe (a child process) and no more threads. Needs a
  private /dev/shm (run through tests/system/private-shm as root), else 77.

Every run has its own HOME, XDG dirs and cache."""
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import repcue_test  # noqa: E402


def check(cond, what, out=""):
    return repcue_test.check(cond, what, out, tail=12)


def env_for(home, **extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ALSA_", "JACK_", "XDG_", "REPCUE_"))}
    env.update(HOME=home, XDG_CACHE_HOME=os.path.join(home, "cache"),
               XDG_CONFIG_HOME=os.path.join(home, "config"),
               XDG_RUNTIME_DIR=os.path.join(home, "run"))
    os.makedirs(env["XDG_RUNTIME_DIR"], exist_ok=True)
    env.update(extra)
    return env


def play(repcue, routine, home, extra_args=(), timeout=60, **env):
    wav = os.path.join(home, "fallback.wav")
    p = subprocess.run([repcue, "play", routine, "--no-keys", "--config", "none",
                        "--fallback-wav", wav, *extra_args],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       env=env_for(home, **env), timeout=timeout)
    return p.returncode, p.stdout + p.stderr, os.path.exists(wav)


def mode_alsa(repcue, src, work):
    routine = os.path.join(src, "tests", "system", "tiny.yaml")
    empty = os.path.join(work, "empty.conf")
    open(empty, "w").close()
    cases = [
        ("empty", empty, r"ALSA lists no sound devices and no sound cards: its configuration "
         + re.escape(empty) + r" is empty, missing or unreadable; unset ALSA_CONFIG_PATH"),
        ("missing", os.path.join(work, "missing.conf"),
         r"ALSA lists no sound devices .*missing\.conf is empty, missing or unreadable"),
        # A directory cannot be read as a file, even by root.
        ("unreadable", work, r"ALSA lists no sound devices .* is empty, missing or unreadable"),
    ]
    for name, path, want in cases:
        home = tempfile.mkdtemp(dir=work)
        rc, out, wav = play(repcue, routine, home, ALSA_CONFIG_PATH=path)
        check(rc == 0, "%s ALSA configuration: play exits 0, not %d (134 = aborted)" % (name, rc), out)
        check(re.search(want, out), "%s ALSA configuration: the message names the file and the fix" % name, out)
        check(wav and "rendering the session to" in out, "%s ALSA configuration: the fallback render ran" % name, out)

    home = tempfile.mkdtemp(dir=work)
    with open(os.path.join(home, ".asoundrc"), "w") as f:
        f.write("pcm.!default {\n type hw\n card 0\n")  # no closing brace
    rc, out, wav = play(repcue, routine, home)
    check(rc == 0, "~/.asoundrc syntax error: play exits 0, not %d" % rc, out)
    check(re.search(r"ALSA cannot read " + re.escape(os.path.join(home, ".asoundrc"))
                    + r":\d+:\d+:.*; fix or remove that file", out),
          "~/.asoundrc syntax error: the message names the file, the line and the fix", out)
    check(wav and "rendering the session to" in out, "~/.asoundrc syntax error: the fallback render ran", out)

    # Mid-session: the device fails (a file plugin writing to /dev/full),
    # and while repcue retries, the ALSA configuration becomes empty.
    # Re-initialising PortAudio in-process then aborted the process.
    home = tempfile.mkdtemp(dir=work)
    conf = os.path.join(home, "full.conf")
    with open(conf, "w") as f:
        f.write('pcm.!default { type file slave.pcm "sink" file "/dev/full" format "raw" }\n'
                'pcm.sink { type null }\n')
    log = open(os.path.join(home, "log"), "w+")
    p = subprocess.Popen([repcue, "play", routine, "--no-keys", "--config", "none"],
                         stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                         env=env_for(home, ALSA_CONFIG_PATH=conf))
    def log_says(text, seconds):
        """Waits until the running play's log holds text; False if it
        exits or the time is up first."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and p.poll() is None:
            log.seek(0)
            if text in log.read():
                return True
            time.sleep(0.1)
        return False

    lost = log_says(" lost (", 30)
    open(conf, "w").close()
    # the retries now find the configuration empty; waited for until one
    # says so (the probe's message), then repcue must still run
    retried = log_says("is empty, missing or unreadable", 60)
    alive = p.poll() is None
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    log.seek(0)
    out = log.read()
    check(lost, "device failure mid-session: repcue saw the loss", out)
    check(retried, "a retry found the emptied ALSA configuration and said so", out)
    check(alive, "ALSA configuration emptied while recovering: repcue still runs (exit %s)" % p.returncode, out)
    check(p.returncode == 0, "and stops cleanly on SIGTERM (exit %d)" % p.returncode, out)

    home = tempfile.mkdtemp(dir=work)
    p = subprocess.run([repcue, "hw-test", "--config", os.path.join(src, "hw", "config.example.yaml"),
                        "--seconds", "1", "--simulate", "next@0.3"], stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, env=env_for(home, ALSA_CONFIG_PATH=empty), timeout=60)
    out = p.stdout + p.stderr
    check(p.returncode == 0, "hw-test, empty ALSA configuration: exit 0, not %d" % p.returncode, out)
    check("no sound device: printing only (ALSA lists no sound devices" in out,
          "hw-test, empty ALSA configuration: says why and prints only", out)


def stuck_jack_socket():
    """A listening socket where a JACK server's would be, that accepts
    connections and never answers: a stopped or wedged jackd."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    path = "/dev/shm/jack_default_%d_0" % os.getuid()
    s.bind(path)
    s.listen(64)
    return s, path


def threads_and_children(pid):
    tasks = os.listdir("/proc/%d/task" % pid)
    children = set()
    for t in tasks:
        try:
            with open("/proc/%d/task/%s/children" % (pid, t)) as f:
                children.update(f.read().split())
        except OSError:
            pass
    return len(tasks), children


def mode_jack(repcue, src, work):
    if os.environ.get("REPCUE_PRIVATE_SHM") != "1":
        print("skipped: needs a private /dev/shm (run as root through tests/system/private-shm, "
              "with unshare and a kernel that allows mount namespaces)")
        return 77
    routine = os.path.join(src, "tests", "system", "tiny.yaml")
    sock, path = stuck_jack_socket()
    try:
        home = tempfile.mkdtemp(dir=work)
        rc, out, wav = play(repcue, routine, home)
        check(rc == 0, "JACK server that never answers: play exits 0, not %d" % rc, out)
        check(("the JACK server behind %s does not answer" % path) in out,
              "JACK server that never answers: the message names its socket", out)
        check(wav and "rendering the session to" in out,
              "JACK server that never answers: the fallback render ran", out)

        # The service: --wait-for-device keeps probing, one child at a
        # time, and its thread count does not grow.
        home = tempfile.mkdtemp(dir=work)
        log = open(os.path.join(home, "log"), "w+")
        p = subprocess.Popen([repcue, "play", routine, "--no-keys", "--config", "none",
                              "--wait-for-device"], stdin=subprocess.DEVNULL, stdout=log,
                             stderr=subprocess.STDOUT, env=env_for(home))
        samples = []
        deadline = time.monotonic() + 12
        while time.monotonic() < deadline and p.poll() is None:
            time.sleep(0.25)
            try:
                samples.append(threads_and_children(p.pid))
            except OSError:
                break
        alive = p.poll() is None
        probes = set()
        try:
            probes = threads_and_children(p.pid)[1]
        except OSError:
            pass
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        # A probe stuck on the dead server when repcue was stopped must go
        # with it (the kernel delivers the parent-death signal at once;
        # the bound only covers scheduling).
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(os.path.exists("/proc/%s" % c) for c in probes):
            time.sleep(0.05)
        left = [c for c in probes if os.path.exists("/proc/%s" % c)]
        log.seek(0)
        out = log.read()
        check(not left, "--wait-for-device stopped: no probe left behind (%d of %d still there)"
              % (len(left), len(probes)), out)
        check(alive, "--wait-for-device keeps waiting", out)
        check(len(samples) > 20, "--wait-for-device: sampled its threads %d times" % len(samples), out)
        if samples:
            first = samples[len(samples) // 4][0]
            most_threads = max(s[0] for s in samples)
            most_children = max(len(s[1]) for s in samples)
            print("threads over 12 s: %s" % [s[0] for s in samples[::8]])
            check(most_threads <= first, "--wait-for-device: threads do not grow (%d after 3 s, at most %d)"
                  % (first, most_threads), out)
            check(most_children <= 1, "--wait-for-device: at most one probe at a time (saw %d)"
                  % most_children, out)
        check(("the JACK server behind %s does not answer" % path) in out and
              "waiting for a sound device" in out,
              "--wait-for-device: says why it waits, naming the socket", out)
    finally:
        sock.close()
        os.unlink(path)
    return 0


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("alsa", "jack"):
        print(__doc__)
        return 2
    mode, repcue, src = sys.argv[1:]
    with tempfile.TemporaryDirectory(prefix="repcue-probe-") as work:
        r = mode_alsa(repcue, src, work) if mode == "alsa" else mode_jack(repcue, src, work)
    if r == 77:
        return 77
    return repcue_test.done()


sys.exit(main())
