#!/usr/bin/env python3
"""SIGTERM and SIGINT stop render and play's start-up at once, in every
phase, and leave nothing behind (issue 11, item 2).

Each case starts the real binary, waits for an observable sign of the
phase (a first cache entry: synthesis; the output's temporary growing:
writing; the temporary cache directory filling: no lasting cache; play
making its first lines), sends the signal, and asserts that the process
died of that signal with a message, and that no temporary is left.

The bound (STOP_BOUND_S) is not a speed target: the handler removes the
temporaries with a few system calls and re-raises the signal; it never
waits for synthesis, planning or writing to finish. What the bound covers
is only the scheduler giving the process a CPU, so it is set 50 times
above what that takes on a loaded machine, and still far below the 32.7 s
that start-up priming ignored SIGTERM for before.

Usage: signal_test.py REPCUE SOURCE_DIR [CASE...]
(CASE: render-synth, render-write, render-tempcache, play-setup,
play-priming, play-device-wait; all when none is named: bench/signal_stress.sh runs one
case hundreds of times)"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

STOP_BOUND_S = 5.0
PHASE_WAIT_S = 120.0

repcue, src = sys.argv[1], sys.argv[2]
CASES = ("render-synth", "render-write", "render-tempcache", "play-setup", "play-priming", "play-device-wait")
chosen = sys.argv[3:] or CASES
for c in chosen:
    if c not in CASES:
        sys.exit(f"signal_test: no case {c!r}; cases: {', '.join(CASES)}")
long_routine = os.path.join(src, "routines", "upper-back-1.yaml")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def env_for(work, **extra):
    env = dict(os.environ)
    for k in ("REPCUE_CACHE_DIR", "CACHE_DIRECTORY", "REPCUE_CONFIG", "REPCUE_CACHE_MAX_MB"):
        env.pop(k, None)
    env.update(HOME=os.path.join(work, "home"), XDG_CACHE_HOME=os.path.join(work, "xdg-cache"),
               XDG_CONFIG_HOME=os.path.join(work, "xdg-config"), XDG_RUNTIME_DIR=os.path.join(work, "run"),
               TMPDIR=os.path.join(work, "tmp"), REPCUE_CACHE_DIR=os.path.join(work, "cache"))
    env.update(extra)
    for d in ("home", "run", "tmp"):
        os.makedirs(os.path.join(work, d), exist_ok=True)
    return env


def wait_for(pred, proc):
    deadline = time.monotonic() + PHASE_WAIT_S
    while time.monotonic() < deadline:
        if pred():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.005)
    return False


def leftovers(work, out_dir):
    """Temporaries anywhere the process writes."""
    left = []
    for d in (out_dir, os.path.join(work, "cache"), os.path.join(work, "tmp")):
        if os.path.isdir(d):
            left += [os.path.join(d, n) for n in os.listdir(d)
                     if n.startswith(".") or n.endswith(".tmp") or n.startswith("repcue-cache-")]
    return left


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def gone_within_bound(proc):
    """Whether proc ended within STOP_BOUND_S; killed (and reaped) if not."""
    try:
        proc.wait(timeout=STOP_BOUND_S)
        return True
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return False


def signal_in_phase(name, argv, env, work, phase_ready, sig):
    """Starts argv, waits for phase_ready, sends sig: (returncode, stderr,
    gone within STOP_BOUND_S), or None when the phase never came."""
    err_path = os.path.join(work, "stderr.txt")
    with open(err_path, "w") as err_file:
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=err_file)
    if not wait_for(lambda: phase_ready(proc, err_path), proc):
        proc.kill()
        proc.wait()
        check(False, f"{name}: the phase was reached (rc {proc.returncode}): {read(err_path).strip()[-300:]}")
        return None
    proc.send_signal(sig)
    gone = gone_within_bound(proc)
    check(gone, f"{name}: gone within {STOP_BOUND_S} s of {signal.Signals(sig).name}")
    return proc.returncode, read(err_path)


def stop_in_phase(name, argv, env, work, phase_ready, sig, out_dir, who):
    got = signal_in_phase(name, argv, env, work, lambda proc, err_path: phase_ready(), sig)
    if got is None:
        return
    returncode, err = got
    signame = signal.Signals(sig).name
    check(returncode == -sig, f"{name}: died of {signame} (exit {returncode}; a shell shows {128 + sig})")
    check(f"{who}: stopped by {signame}" in err, f"{name}: says it was stopped ({err.strip()[-200:]!r})")
    check("session complete" not in err, f"{name}: does not claim a complete session")
    left = leftovers(work, out_dir)
    check(not left, f"{name}: nothing left behind {left}")
    check(not os.path.exists(os.path.join(out_dir, "out.wav")), f"{name}: no output under the final name")


def cache_entries(work):
    d = os.path.join(work, "cache")
    return [n for n in os.listdir(d) if n.endswith(".cue")] if os.path.isdir(d) else []


def temp_cache_entries(work):
    d = os.path.join(work, "tmp")
    dirs = [os.path.join(d, n) for n in os.listdir(d) if n.startswith("repcue-cache-")] if os.path.isdir(d) else []
    return sum(len(os.listdir(x)) for x in dirs if os.path.isdir(x))


def output_temp_size(out_dir):
    for n in os.listdir(out_dir):
        if n.startswith(".out.wav.") or n == "out.wav.tmp":  # (the name before issue 11)
            try:
                return os.path.getsize(os.path.join(out_dir, n))
            except OSError:
                return 0
    return 0


def fresh(name):
    work = tempfile.mkdtemp(prefix=f"repcue-sig-{name}-")
    out_dir = os.path.join(work, "o")
    os.makedirs(out_dir)
    return work, out_dir


def has_thread(pid, name):
    """True when the process has a thread of that name (pthread_setname_np)."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return False
    return any(read(f"/proc/{pid}/task/{t}/comm").strip() == name for t in tasks)


def blocked_writing_fd2(pid):
    """True while the process's main thread waits in write(2, ...)."""
    call = read(f"/proc/{pid}/syscall").split()
    return len(call) >= 2 and call[0] == "1" and call[1] == "0x2"


def stop_play_in_setup(work):
    """SIGTERM while play settles its options, config and routine, before
    it sets up its own signal handling (issue 17, item 13). The window is
    held open, without timing: stderr is a pipe filled to the brim
    beforehand, so play's first message ("no routine ... waiting with
    another one", printed by play_setup) blocks until the test reads; the
    signal is sent once the process is seen waiting in that write. Before
    main() installed the handler first thing, the default action killed it
    there without a word."""
    r, w = os.pipe()
    os.set_blocking(w, False)
    filled = 0
    for chunk in (4096, 1):
        try:
            while True:
                filled += os.write(w, b"x" * chunk)
        except BlockingIOError:
            pass
    os.set_blocking(w, True)  # the flag is the pipe's, shared with the child
    proc = subprocess.Popen([repcue, "play", "no-such-routine", "--wait-for-start", "--output", "null",
                             "--config", "none", "--no-keys"], env=env_for(work), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=w)
    os.close(w)
    if not wait_for(lambda: blocked_writing_fd2(proc.pid), proc):
        proc.kill()
        proc.wait()
        os.close(r)
        check(False, f"play in setup: blocked writing its first message (rc {proc.returncode})")
        return
    proc.send_signal(signal.SIGTERM)
    got = b""
    deadline = time.monotonic() + STOP_BOUND_S
    os.set_blocking(r, False)
    while time.monotonic() < deadline:
        try:
            chunk = os.read(r, 65536)
        except BlockingIOError:
            time.sleep(0.005)
            continue
        if not chunk:
            break
        got += chunk
    os.close(r)
    gone = gone_within_bound(proc)
    err = got[filled:].decode(errors="replace")
    check(gone, f"play in setup: gone within {STOP_BOUND_S} s of SIGTERM")
    check(proc.returncode == -signal.SIGTERM, f"play in setup: died of SIGTERM (exit {proc.returncode})")
    check("repcue play: stopped by SIGTERM" in err, f"play in setup: says it was stopped ({err.strip()[-200:]!r})")


def stop_play_starting(work, out_dir, argv):
    """SIGTERM while play makes its first line (see the case below)."""
    got = signal_in_phase("play starting", argv, env_for(work), work,
                          lambda proc, err_path: has_thread(proc.pid, "repcue-speech") or
                          "playing through" in read(err_path), signal.SIGTERM)
    if got is None:
        return
    returncode, err = got
    if "playing through" not in err:
        print("     (the signal landed in priming)")
        check(returncode == -signal.SIGTERM, f"play priming: died of SIGTERM (exit {returncode})")
        check("repcue play: stopped by SIGTERM" in err, f"play priming: says it was stopped ({err.strip()[-200:]!r})")
    else:
        print("     (the signal landed in the session)")
        check(returncode == 0, f"play session: an orderly stop (exit {returncode})")
        check("repcue: stopped at" in err, f"play session: says where it stopped ({err.strip()[-200:]!r})")
    check("session complete" not in err, "play starting: does not claim a complete session")
    left = leftovers(work, out_dir)
    check(not left, f"play starting: nothing left behind {left}")


works = []
try:
    if "render-synth" in chosen:
        # render while synthesizing (empty cache): SIGTERM
        work, out_dir = fresh("synth")
        works.append(work)
        stop_in_phase("render synthesizing", [repcue, "render", long_routine, "-q", "-o", os.path.join(out_dir, "out.wav")],
                      env_for(work), work, lambda: len(cache_entries(work)) >= 1, signal.SIGTERM, out_dir, "repcue render")

    if "render-write" in chosen:
        # render while writing (warm cache: the output temporary grows): SIGINT
        work, out_dir = fresh("write")
        works.append(work)
        env = env_for(work)
        subprocess.run([repcue, "render", long_routine, "-q", "-o", os.path.join(work, "warm.wav")], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        stop_in_phase("render writing", [repcue, "render", long_routine, "-q", "-o", os.path.join(out_dir, "out.wav")],
                      env, work, lambda: output_temp_size(out_dir) > (1 << 20), signal.SIGINT, out_dir, "repcue render")

    if "render-tempcache" in chosen:
        # render with no lasting cache: its temporary cache directory goes too
        work, out_dir = fresh("tempcache")
        works.append(work)
        stop_in_phase("render with a temporary cache",
                      [repcue, "render", long_routine, "-q", "-o", os.path.join(out_dir, "out.wav")],
                      env_for(work, REPCUE_CACHE_DIR="/proc/no-such-dir/cache"), work,
                      lambda: temp_cache_entries(work) >= 1, signal.SIGTERM, out_dir, "repcue render")

    if "play-setup" in chosen:
        work, out_dir = fresh("setup")
        works.append(work)
        stop_play_in_setup(work)

    if "play-priming" in chosen:
        # play making its first line before the sound starts (start-up
        # priming; issue 10: only the first line is made before the sound
        # starts, the rest while it plays). The first line is long (an intro
        # line may have 240 bytes), so its synthesis is a window the signal can land in;
        # the phase is entered once the speech thread exists (it is named
        # repcue-speech and started by priming) and the sound has not
        # started. (Until issue 17, item 13 the sign was 20 ms of CPU, which
        # a process under ASan spends before main() and its handlers: it
        # died of the default action without a word.) Landing in priming, the process dies of the signal at once; if the
        # machine was slow to show the window, the signal lands in the
        # session, which stops it in an orderly way (exit 0, "stopped at").
        # Either way it is checked; which one is printed.
        work, out_dir = fresh("prime")
        works.append(work)
        line = ("Stand tall with your feet hip width apart, soften the knees, let the shoulders drop away from "
                "the ears, breathe in slowly through the nose and out through the mouth, and keep the chin "
                "gently tucked while the ribs stay down.")
        routine = os.path.join(work, "slow-start.yaml")
        with open(routine, "w") as f:
            f.write("repcue: 1\nname: Slow start\nlevel: 1\nequipment: []\nvoice: coach\nsafety: Stop if it hurts.\n"
                    "defaults: {rest_between_sets: 4, rest_between_steps: 4, countdown: 3, tempo: 1-0-1-0}\n"
                    "steps:\n  - name: Rows\n    kind: reps\n    sets: 1\n    reps: 3\n    intro:\n")
            for i in range(8):
                f.write(f"      - \"{i + 1}. {line}\"\n")
        stop_play_starting(work, out_dir, [repcue, "play", routine, "--output", "null", "--config", "none", "--no-keys"])

    if "play-device-wait" in chosen:
        # play waiting for a sound device (the service's first state), through
        # real PortAudio -> ALSA with an ALSA configuration that has none, in a
        # private /dev/shm (tests/system/private-shm)
        work, out_dir = fresh("device-wait")
        works.append(work)
        conf = os.path.join(work, "alsa.conf")
        with open(conf, "w") as f:
            f.write("pcm.!default { type null }\n")
        err_path = os.path.join(work, "stderr.txt")
        stop_in_phase("play waiting for a device",
                      [os.path.join(src, "tests", "system", "private-shm"), repcue, "play", os.path.join(src, "tests", "system", "tiny.yaml"),
                       "--wait-for-device", "--device", "nosuch", "--config", "none", "--no-keys"],
                      env_for(work, ALSA_CONFIG_PATH=conf), work,
                      lambda: "waiting for a sound device" in read(err_path), signal.SIGTERM, out_dir, "repcue play")
finally:
    for w in works:
        shutil.rmtree(w, ignore_errors=True)

print(f"signal_test: {len(failures)} failed")
sys.exit(1 if failures else 0)
