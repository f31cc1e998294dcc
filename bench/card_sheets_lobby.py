#!/usr/bin/env python3
"""card_sheets_lobby.py REPCUE SOURCE_DIR [RUNS] [OLD_REPCUE]: a press in
the lobby while the sheets of a card of 64 routines are being made (issue
21: "sheets for a card of 64 routines do not delay the lobby").

A card of 64 routines (the seed routines under routines/ copied under 64
names, each with a name of its own) as the service runs it: `repcue play
--card-out OUTBOX --wait-for-start --output null` (paced in real time, no
sound card), the start button pressed by --simulate at PRESS_S seconds:
the middle of the drawing, measured first on a fresh outbox with nobody
pressing. The press's effect is
the session's first line on the transcript (stdout, read as it comes);
the figure is the wall time from the press (the process's start +
PRESS_S) to that line, in two cases, RUNS runs each (default 5):

  drawing   a fresh outbox: the 64 sheets are being made when the press
            comes (the sheets made by then are counted and printed)
  drawn     the same card again, its sheets current: nothing is drawn

The difference is what drawing costs a press; the rest (the gesture
decoder's release, opening the session, its first line's synthesis) is
in both. With OLD_REPCUE (a repcue that draws on its main loop) the
drawing case is run with it too, for comparison. Printed, never asserted
(a shared, noisy machine)."""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

PRESS_S = 9.0          # replaced by main(): the middle of the drawing, as measured
ROUTINES = 64


def make_card(src, work):
    boot = os.path.join(work, "boot")
    card = os.path.join(boot, "repcue", "routines")
    data = os.path.join(work, "data")
    os.makedirs(card)
    os.makedirs(os.path.join(data, "routines"))
    shutil.copytree(os.path.join(src, "voices"), os.path.join(data, "voices"))
    seeds = ["upper-back-1", "upper-back-2", "upper-back-3", "de/upper-back-1"]
    for i in range(ROUTINES):
        with open(os.path.join(src, "routines", seeds[i % len(seeds)] + ".yaml")) as f:
            lines = f.read().split("\n")
        lines = [("name: Card routine %02d" % i) if line.startswith("name:") else line for line in lines]
        with open(os.path.join(card, "r%02d-%s.yaml" % (i, seeds[i % len(seeds)].replace("/", "-"))), "w") as f:
            f.write("\n".join(lines))
    env = dict(os.environ, REPCUE_BOOT_DIR=boot, REPCUE_DATA_DIR=data,
               REPCUE_CACHE_DIR=os.path.join(work, "cache"), HOME=work,
               XDG_CACHE_HOME=os.path.join(work, "xdg-cache"), XDG_DATA_HOME=os.path.join(work, "xdg-data"),
               XDG_STATE_HOME=os.path.join(work, "xdg-state"), XDG_CONFIG_HOME=os.path.join(work, "xdg-config"))
    env.pop("REPCUE_CONFIG", None)
    return env, sorted(os.listdir(card))[0]


def sheets_in(outbox):
    d = os.path.join(outbox, "sheets")
    return len([f for f in os.listdir(d) if f.endswith(".pdf")]) if os.path.isdir(d) else 0


def drawing_window(repcue, env, work, first, outbox):
    """Wall seconds from the start to the first sheet and to the 64th, on a
    fresh outbox with nobody pressing (the process is stopped then)."""
    shutil.rmtree(outbox, ignore_errors=True)
    cmd = [repcue, "play", first, "--card-out", outbox, "--wait-for-start", "--output", "null", "--no-keys"]
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    first_s = last_s = float("nan")
    while p.poll() is None and time.perf_counter() - t0 < 300:
        n = sheets_in(outbox)
        now = time.perf_counter() - t0
        if n > 0 and first_s != first_s:
            first_s = now
        if n == ROUTINES:
            last_s = now
            break
        time.sleep(0.02)
    p.kill()
    p.wait()
    return first_s, last_s


def one_press(repcue, env, work, first, outbox):
    """Wall ms from the press to the session's first line; sheets made by then."""
    cmd = [repcue, "play", first, "--card-out", outbox, "--wait-for-start", "--output", "null", "--no-keys",
           "--transcript", "--simulate", "start@%g" % PRESS_S]
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True, bufsize=1)
    lobby_said = False
    effect_ms, made = float("nan"), -1
    for line in p.stdout:
        if ' say "' not in line:
            continue
        if not lobby_said:
            lobby_said = "Press start" in line
            continue
        effect_ms = (time.perf_counter() - t0 - PRESS_S) * 1000
        made = sheets_in(outbox)
        break
    p.kill()
    p.wait()
    return effect_ms, made


def run_case(label, repcue, src, runs, fresh):
    times, made = [], []
    with tempfile.TemporaryDirectory() as work:
        env, first = make_card(src, work)
        outbox = os.path.join(work, "outbox")
        if not fresh:
            # a first run makes the sheets; then every run finds them current
            drawing_window(repcue, env, work, first, outbox)
            if sheets_in(outbox) != ROUTINES:
                print("%s: the sheets were not all made (%d)" % (label, sheets_in(outbox)))
        for _ in range(runs):
            if fresh:
                shutil.rmtree(outbox, ignore_errors=True)
            ms, n = one_press(repcue, env, work, first, outbox)
            times.append(ms)
            made.append(n)
    print("%-34s %8.0f %8.0f %8.0f   %s" % (label, statistics.median(times), min(times), max(times),
                                          " ".join(str(n) for n in made)))
    return statistics.median(times)


def main():
    # absolute: the runs are made in a card folder of their own
    repcue, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    old = os.path.abspath(sys.argv[4]) if len(sys.argv) > 4 else None
    global PRESS_S
    with tempfile.TemporaryDirectory() as work:
        env, first = make_card(src, work)
        first_s, last_s = drawing_window(repcue, env, work, first, os.path.join(work, "outbox"))
    if last_s != last_s:
        sys.exit("the %d sheets were not made within 300 s" % ROUTINES)
    PRESS_S = round((first_s + last_s) / 2, 1)
    print("the drawer made the %d sheets from %.1f s to %.1f s after the start; the press comes at %.1f s"
          % (ROUTINES, first_s, last_s, PRESS_S))
    print("press in the lobby of a %d-routine card at %.1f s: wall ms from the press to the session's "
          "first line" % (ROUTINES, PRESS_S))
    print("%-34s %8s %8s %8s   %s" % ("case", "median", "min", "max", "sheets made by then (of 64)"))
    drawing = run_case("drawing (drawer thread)", repcue, src, runs, True)
    drawn = run_case("drawn (nothing to draw)", repcue, src, runs, False)
    if old:
        run_case("drawing (OLD_REPCUE, on the loop)", old, src, runs, True)
    print("press delay while 64 sheets are made: %.0f ms (median, drawing - drawn); load average %.1f"
          % (drawing - drawn, os.getloadavg()[0]))


if __name__ == "__main__":
    main()
