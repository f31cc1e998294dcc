#!/usr/bin/env python3
"""Boot to ready: service start -> READY=1 -> the first spoken word.

Starts `repcue play --wait-for-start` the way repcue.service does (a
NOTIFY_SOCKET this script listens on, as systemd would provide) with the
null output in real-time pacing, and times, from the moment the process is
started:
  ready   READY=1 on the notify socket (systemd's "started")
  word    the lobby line "Upper back, level 1. Press start when you are
          ready." in the transcript: the audio thread has begun to say it
          (a sound card adds its output latency, 5 to 20 ms)
  cpu     the process's CPU time (user + system) at that moment
with a cold speech cache (empty: eSpeak NG makes the line) and a warm one
(the same cache again: the line comes from disk).

Each condition also runs pinned to one core that a busy loop shares
(`taskset` + a CPU hog: about half of one core of this machine), for the
measured ratio the Pi Zero 2 W estimate is scaled from. Prints figures,
asserts nothing: timing on a shared machine is noisy.

usage: boot_to_ready.py REPCUE SOURCE_DIR [RUNS]
"""
import os
import select
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

LOBBY = "Upper back, level 1. Press start when you are ready."
# How much slower one 1 GHz Cortex-A53 core of a Pi Zero 2 W is than the
# half core the pinned run gets here. An assumption, not a measurement:
# single-thread integer benchmarks put an A53 at 1 GHz at about an eighth of
# one core of a current x86 server, so about a quarter of half a core.
A53_VS_HALF_CORE = 4.0


def one_run(repcue, source, work, cache, pin):
    sock_path = os.path.join(work, "notify.sock")
    if os.path.exists(sock_path):
        os.unlink(sock_path)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(sock_path)
    boot = os.path.join(work, "boot")
    os.makedirs(boot, exist_ok=True)
    env = dict(os.environ, NOTIFY_SOCKET=sock_path, REPCUE_CACHE_DIR=cache, REPCUE_BOOT_DIR=boot,
               REPCUE_DATA_DIR=source, HOME=work, XDG_CACHE_HOME=os.path.join(work, "xdg"))
    env.pop("REPCUE_CONFIG", None)
    cmd = [repcue, "play", "--wait-for-start", "--output", "null", "--no-keys", "--transcript", "--config", "none"]
    if pin:
        cmd = ["taskset", "-c", "0"] + cmd
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, env=env, cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    ready = word = cpu = None
    buf = b""
    try:
        while word is None and time.monotonic() - t0 < 60:
            r, _, _ = select.select([sock, p.stdout], [], [], 1.0)
            now = time.monotonic()
            if sock in r:
                msg = sock.recv(4096).decode(errors="replace")
                if "READY=1" in msg.split("\n") and ready is None:
                    ready = now - t0
            if p.stdout in r:
                chunk = os.read(p.stdout.fileno(), 65536)
                if not chunk:
                    break
                buf += chunk
                if LOBBY.encode() in buf:
                    word = now - t0
                    with open("/proc/%d/stat" % p.pid) as f:
                        fields = f.read().rsplit(")", 1)[1].split()
                    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    finally:
        p.terminate()
        p.wait(timeout=30)
        sock.close()
    if word is None or ready is None:
        raise RuntimeError("no READY=1 or no lobby line within 60 s")
    return ready, word, cpu


def measure(repcue, source, work, runs, pin):
    out = {}
    for kind in ("cold", "warm"):
        rows = []
        for i in range(runs):
            cache = os.path.join(work, "cache-%s-%d-%d" % (kind, pin, i))
            shutil.rmtree(cache, ignore_errors=True)
            os.makedirs(cache)
            if kind == "warm":
                one_run(repcue, source, work, cache, pin)  # fills the cache
            rows.append(one_run(repcue, source, work, cache, pin))
        out[kind] = tuple(statistics.median(r[k] for r in rows) for k in range(3))
    return out


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    repcue, source = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    work = tempfile.mkdtemp(prefix="repcue-boot-bench-")
    hog = None
    try:
        normal = measure(repcue, source, work, runs, False)
        hog = subprocess.Popen(["taskset", "-c", "0", "sh", "-c", "while :; do :; done"])
        pinned = measure(repcue, source, work, runs, True)
    finally:
        if hog:
            hog.kill()
            hog.wait()
        shutil.rmtree(work, ignore_errors=True)
    print("boot to ready (median of %d runs; ms from process start; noisy shared machine, load average %.1f):"
          % (runs, os.getloadavg()[0]))
    print("  %-28s %8s %8s %8s" % ("", "READY=1", "word", "cpu"))
    for label, res in (("all cores", normal), ("one core shared with a hog", pinned)):
        for kind in ("cold", "warm"):
            r, w, c = res[kind]
            print("  %-28s %8.0f %8.0f %8.0f" % ("%s, %s cache" % (label, kind), r * 1000, w * 1000, c * 1000))
    print("  targets here: warm <= 300 ms, cold <= 1000 ms to the first word")
    for kind in ("cold", "warm"):
        ratio = pinned[kind][1] / normal[kind][1]
        est = pinned[kind][1] * A53_VS_HALF_CORE
        print("  %s: measured ratio one-shared-core / all-cores = %.2f; Pi Zero 2 W ESTIMATE (not measured): "
              "about %.1f s to the first word (the shared-core figure x %.0f, the assumed speed of half a core "
              "here against one 1 GHz Cortex-A53 core)" % (kind, ratio, est, A53_VS_HALF_CORE))
    return 0


if __name__ == "__main__":
    sys.exit(main())
