#!/usr/bin/env python3
"""The lobby reads the routines on the card again at every entry.

The real binary waits for the start button (--wait-for-start) with a fake
boot partition ($REPCUE_BOOT_DIR) and fake packaged data ($REPCUE_DATA_DIR),
paced in real time by the null output; buttons come through the real
gesture decoder (--simulate). No sound card needed.

  reload    files added, removed and broken between two lobby entries (the
            first at start, the second when start is held) are seen at the
            second; a bad file is named aloud once, with its file:line:col
            in the log; laptop junk is never mentioned.
  fallback  the only routine on the card is broken and hides the packaged
            one of the same name: the packaged default plays, and that is said.
  config    a bad setting in the card's config.yaml is named aloud and in
            problems.txt, and the others apply; a file that is no config
            at all is named and skipped.
  problems  problems.txt in the card folder after each lobby: the broken
            routine with file:line:col, its problem and its fix, the good
            one offered, CRLF; not rewritten (same inode and time) by a
            lobby that saw no change; "No problems." once the routine is
            fixed on the "laptop".
  start-typo
            the card's config.yaml names a start pin that does not exist:
            the lobby says so, where to fix it and that nothing else starts
            a session, instead of only "Press start"; a press (--simulate)
            still starts the session, and the failure is logged once.
  pedal-not-device
            the pedal's path is /dev/null, then a regular file: said the
            same way.
  card-out  as the service runs (--card-out): problems.txt goes into the
            coach's outbox, not the card; repcue-card-copy copies it on.
  twins     two routines with the same name: the lobby adds their files.
  card-sheets
            as the service runs (--card-out): after the lobby line, a
            sheet for every routine offered (sheets/NAME.pdf, the name made
            safe for FAT; pdftotext finds the routine's name) and, after a
            session, report.pdf beside history.csv; repcue-card-copy brings
            them onto the card; at the next start an unchanged routine's
            sheet is not drawn again and a removed routine's sheet leaves
            the outbox and the card.
  music-problems
            a music track that cannot be played is named in problems.txt.
  settings  volume, beeps and voice changed on the "laptop" between two
            lobbies apply at the second (problems.txt and the log say the
            values; the German voice on the card speaks); a bad setting is
            named aloud with its line and in problems.txt.
  buttons   the buttons and the mapping changed on the "laptop" between two
            lobbies apply at the second, without a restart: a tap of next,
            mapped to choose-routine only by the new file, brings a third
            lobby (the simulated presses are inputs too, kept when the
            configured ones are opened again). Then a start pin with a
            typo: said there and listed in problems.txt, and the buttons
            and mapping before are kept (next still chooses), the broken
            set not tried again.
  device    audio.device changed between lobbies (PortAudio on an ALSA
            configuration of two file devices): a device that is not there
            is named aloud and in problems.txt and the one before is kept;
            a device that is there is used from the next lobby on (its file
            receives the lobby line).
  by-name   `repcue play upper-back-3`, `routines: {default: ...}` and
            `repcue render upper-back-3` find the routine along the search
            path, not in the current directory.

usage: lobby_reload.py MODE REPCUE SOURCE_DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

TIMEOUT_S = 60


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from repcue_test import fail, said_until, skip  # noqa: E402


class Fixture:
    def __init__(self, source, work):
        self.source = source
        self.work = work
        self.boot = os.path.join(work, "boot")
        self.card = os.path.join(self.boot, "repcue", "routines")
        self.data = os.path.join(work, "data")
        os.makedirs(self.card)
        os.makedirs(os.path.join(self.data, "routines"))
        shutil.copytree(os.path.join(source, "voices"), os.path.join(self.data, "voices"))
        with open(os.path.join(source, "tests", "system", "tiny.yaml")) as f:
            self.tiny = f.read()

    def routine(self, folder, file, name, broken=False):
        text = self.tiny.replace("name: Tiny", "name: " + name)
        if broken:
            # line 4 of tiny.yaml is "level: 1"
            lines = text.split("\n")
            lines[3] = "level: high"
            text = "\n".join(lines)
        with open(os.path.join(folder, file), "w") as f:
            f.write(text)

    def env(self):
        env = dict(os.environ)
        env.update(REPCUE_BOOT_DIR=self.boot, REPCUE_DATA_DIR=self.data,
                   REPCUE_CACHE_DIR=os.path.join(self.work, "cache"),
                   HOME=self.work, XDG_CACHE_HOME=os.path.join(self.work, "xdg-cache"),
                   XDG_DATA_HOME=os.path.join(self.work, "xdg-data"),
                   XDG_STATE_HOME=os.path.join(self.work, "xdg-state"),
                   XDG_CONFIG_HOME=os.path.join(self.work, "xdg-config"))
        env.pop("REPCUE_CONFIG", None)
        return env


def lobby_lines(repcue, fx, args, want, between=None, each=None):
    """Runs play --wait-for-start and collects the spoken lines until `want`
    lines containing "Press start" were said; calls between() after the
    first, each(n) after the n-th. Returns (said lines, stderr)."""
    cmd = [repcue, "play"] + args + ["--wait-for-start", "--output", "null", "--no-keys", "--transcript"]
    return said_until(cmd, fx.env(), fx.work, lambda line: "Press start" in line, want, TIMEOUT_S, between, each)


def mode_reload(repcue, fx):
    fx.routine(fx.card, "a-first.yaml", "Tiny A")
    fx.routine(fx.card, "b-second.yaml", "Tiny B")
    fx.routine(fx.card, "e-later.yaml", "Tiny E")
    fx.routine(fx.card, "broken.yaml", "Tiny broken", broken=True)
    # what a Mac and Windows leave behind: never listed, never said
    with open(os.path.join(fx.card, "._a-first.yaml"), "wb") as f:
        f.write(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x01")
    with open(os.path.join(fx.card, ".DS_Store"), "wb") as f:
        f.write(b"\x00\x00\x00\x01Bud1")
    os.mkdir(os.path.join(fx.boot, "System Volume Information"))

    def laptop():
        # between the two lobby entries: one added, one removed, one broken
        fx.routine(fx.card, "c-added.yaml", "Tiny C")
        os.unlink(os.path.join(fx.card, "b-second.yaml"))
        fx.routine(fx.card, "e-later.yaml", "Tiny E", broken=True)

    # hold start at 4 s: the second lobby entry
    said, err = lobby_lines(repcue, fx, ["a-first", "--simulate", "start@4:900"], 2, laptop)
    print("\n".join("said: " + s for s in said))
    first = [s for s in said if "Press start" in s][0]
    second = [s for s in said if "Press start" in s][1]
    if first != ("Routine file broken.yaml has a problem on line 4. Skipping it. "
                 "Details are in problems.txt on the card. Tiny A. Press start when you are ready."):
        fail("first lobby line: " + first)
    # the card now holds a-first, c-added (b-second is gone, e-later broken)
    if second != ("Routine file e-later.yaml has a problem on line 4. Skipping it. "
                  "Details are in problems.txt on the card. Routine 2 of 2: Tiny C. Press start to begin."):
        fail("second lobby line: " + second)
    if any("Tiny B" in s or "b-second" in s for s in said[said.index(first) + 1:]):
        fail("the removed routine was still offered")
    if sum("broken.yaml" in s for s in said) != 1:
        fail("broken.yaml was said more than once although it did not change")
    for name in ("broken.yaml:4:", "e-later.yaml:4:"):
        if name not in err:
            fail("no file:line:col message for %s in the log:\n%s" % (name, err))
    if "._a-first" in err or "DS_Store" in err or "System Volume" in err:
        fail("laptop junk was reported:\n" + err)
    print("reload: the second lobby entry saw the added, removed and broken files")


def mode_fallback(repcue, fx):
    fx.routine(fx.card, "upper-back-1.yaml", "Tiny card", broken=True)
    fx.routine(os.path.join(fx.data, "routines"), "upper-back-1.yaml", "Tiny packaged")
    said, err = lobby_lines(repcue, fx, [], 1)
    print("\n".join("said: " + s for s in said))
    want = ("Routine file upper-back-1.yaml has a problem on line 4. Skipping it. "
            "Details are in problems.txt on the card. No routine file can be used. "
            "Playing the built-in routine. Tiny packaged. Press start when you are ready.")
    if said[-1] != want:
        fail("lobby line: " + said[-1])
    print("fallback: the packaged default plays, and that is said")


def mode_config(repcue, fx):
    fx.routine(fx.card, "a-first.yaml", "Tiny A")
    fx.routine(fx.card, "b-second.yaml", "Tiny B")
    # one bad setting (line 5) costs only itself: the default routine of
    # line 3 still applies
    with open(os.path.join(fx.boot, "repcue", "config.yaml"), "w") as f:
        f.write("\ufeffrepcue: 1\r\nroutines:\r\n  default: b-second\r\naudio:\r\n  nonsense: 3\r\n")
    said, err = lobby_lines(repcue, fx, [], 1)
    print("\n".join("said: " + s for s in said))
    if not said[-1].startswith("Setting audio.nonsense on line 5 of config.yaml is not understood; using the "
                               "default. Details are in problems.txt on the card. Tiny B."):
        fail("lobby line: " + said[-1])
    if "config.yaml:5:" not in err:
        fail("no file:line:col for the config in the log:\n" + err)
    with open(os.path.join(fx.boot, "repcue", "problems.txt"), "rb") as f:
        problems = f.read().decode()
    if "\r\nconfig.yaml:5:" not in problems or "  hint: " not in problems:
        fail("the config's problem is not in problems.txt:\n" + problems)
    # a file that cannot be read as a config at all is skipped whole
    with open(os.path.join(fx.boot, "repcue", "config.yaml"), "w") as f:
        f.write("repcue: 1\nroutines: [b-second\n")
    said, err = lobby_lines(repcue, fx, ["a-first"], 1)
    print("\n".join("said: " + s for s in said))
    if not (said[-1].startswith("Config file config.yaml has a problem on line ")
            and "Skipping it. Details are in problems.txt on the card. Tiny A." in said[-1]):
        fail("lobby line: " + said[-1])
    # a good one (BOM and CRLF, as Notepad saves it) is used: its default routine plays
    with open(os.path.join(fx.boot, "repcue", "config.yaml"), "w") as f:
        f.write("\ufeffrepcue: 1\r\nroutines:\r\n  default: b-second\r\n")
    said, err = lobby_lines(repcue, fx, [], 1)
    if said[-1] != "Tiny B. Press start when you are ready.":
        fail("the card's config was not used: " + said[-1] + "\n" + err)
    print("config: a bad setting is named and the others used; a broken file is skipped; a good one "
          "(BOM, CRLF) is used")


def mode_problems(repcue, fx):
    fx.routine(fx.card, "good.yaml", "Tiny good")
    fx.routine(fx.card, "broken.yaml", "Tiny broken", broken=True)
    out = os.path.join(fx.boot, "repcue", "problems.txt")
    seen = {}

    def each(n):
        # the lobby line is said after problems.txt was brought up to date
        if not os.path.exists(out):
            fail("no problems.txt in the card folder at lobby %d" % n)
        st = os.stat(out)
        with open(out, "rb") as f:
            seen[n] = (f.read(), st.st_ino, st.st_mtime_ns)
        if n == 2:
            fx.routine(fx.card, "broken.yaml", "Tiny broken")   # fixed on the laptop

    # what `repcue check` says about it, to find the same words in the file
    check = subprocess.run([repcue, "check", os.path.join(fx.card, "broken.yaml")], capture_output=True,
                           text=True, timeout=60, env=fx.env(), cwd=fx.work)
    if "broken.yaml:" not in check.stderr:
        fail("repcue check found nothing: " + check.stderr)
    problem = check.stderr.splitlines()[0].split("broken.yaml:", 1)[1]
    # three lobbies: at start, start held at 4 s (no change), at 8 s (fixed)
    said, err = lobby_lines(repcue, fx, ["good", "--simulate", "start@4:900,start@8:900"], 3, each=each)
    print("\n".join("said: " + s for s in said))
    first = seen[1][0]
    print(first.decode())
    if b"\n" in first.replace(b"\r\n", b""):
        fail("problems.txt has a line not ending in CRLF")
    text = first.decode()
    if not ("\r\nroutines/broken.yaml:4:8: error: " in text and "\r\n  hint: " in text):
        fail("problems.txt does not name the broken routine with file:line:col and a fix:\n" + text)
    if "routines/good.yaml (Tiny good)" not in text or "No problems." in text:
        fail("problems.txt does not offer the good routine:\n" + text)
    if ("routines/broken.yaml:" + problem + "\r\n") not in text:
        fail("not the text of repcue check (%s):\n%s" % (problem, text))
    if "Details are in problems.txt on the card." not in said[0]:
        fail("the spoken line does not point to problems.txt: " + said[0])
    if seen[2] != seen[1]:
        fail("problems.txt was rewritten by a lobby that saw no change (inode, mtime): %s %s"
             % (seen[1][1:], seen[2][1:]))
    if not seen[3][0].startswith(b"No problems.\r\n"):
        fail("problems.txt after the fix:\n" + seen[3][0].decode())
    leftovers = [f for f in os.listdir(os.path.dirname(out)) if f not in ("problems.txt", "routines")]
    if leftovers:
        fail("left in the card folder: %s" % leftovers)
    print("problems: problems.txt names the broken routine, is kept when nothing changed, says No problems.")
def start_lines(repcue, fx, config):
    """With config.yaml on the card: the lines said from the lobby to the
    first exercise of the session a simulated start press begins."""
    fx.routine(fx.card, "a-first.yaml", "Tiny A")
    with open(os.path.join(fx.boot, "repcue", "config.yaml"), "w") as f:
        f.write("repcue: 1\ninputs:\n" + config)
    cmd = [repcue, "play", "a-first", "--wait-for-start", "--output", "null", "--no-keys", "--transcript",
           "--simulate", "start@1"]
    said, err = said_until(cmd, fx.env(), fx.work, lambda line: line.startswith("Exercise 1 of 1"), 1, TIMEOUT_S)
    print("\n".join("said: " + s for s in said))
    return said, err


def mode_start_typo(repcue, fx):
    said, err = start_lines(repcue, fx, "  - role: start\n    gpio: {name: GPIO717}\n")
    want = ("The start button is not working: pin GPIO717 does not exist. Check config.yaml on the card. "
            "Nothing else can start a session. Tiny A. Press start when you are ready.")
    if said[0] != want:
        fail("lobby line: " + said[0])
    if err.count("start button: gpio GPIO717") != 1:
        fail("the failure was not logged exactly once (opened again every few seconds):\n" + err)
    print("start-typo: the lobby says why the start button does nothing; a press still starts")


def mode_pedal_not_device(repcue, fx):
    regular = os.path.join(fx.work, "pedal-event-kbd")
    with open(regular, "w") as f:
        f.write("not a device\n")
    for path in ("/dev/null", regular):
        said, err = start_lines(repcue, fx, "  - role: pedal\n    evdev: {device: %s, key: KEY_B}\n" % path)
        if "not built in" in err:
            skip("built without libevdev: a pedal path is never opened")
        want = ("The pedal is not working: %s is not an input device. Check config.yaml on the card. "
                "Nothing else can start a session. Tiny A. Press start when you are ready." % path)
        if said[0] != want:
            fail("lobby line: " + said[0])
        if "%s: not an input device" % path not in err:
            fail("the log does not say what is wrong with %s:\n%s" % (path, err))
    print("pedal-not-device: /dev/null and a regular file are said to be no input device")


def mode_by_name(repcue, fx):
    fx.routine(os.path.join(fx.data, "routines"), "upper-back-3.yaml", "Tiny three")
    fx.routine(fx.card, "upper-back-2.yaml", "Tiny two")
    env = fx.env()
    base = ["--output", "null", "--no-keys", "--transcript", "--press", "done@0.2,done@0.4,done@0.6"]

    def first_line(args):
        p = subprocess.Popen([repcue, "play"] + args + base, env=env, cwd=fx.work, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            for line in p.stdout:
                if ' say "' in line:
                    return line.split(' say "', 1)[1].rstrip().rstrip('"')
            return "(exit %s) %s" % (p.wait(), p.stderr.read())
        finally:
            p.terminate()
            p.communicate(timeout=30)

    got = first_line(["upper-back-3", "--config", "none"])
    if got != "Tiny three.":
        fail("repcue play upper-back-3: " + got)
    config = os.path.join(fx.work, "config.yaml")
    with open(config, "w") as f:
        f.write("repcue: 1\nroutines:\n  default: upper-back-2\n")
    got = first_line(["--config", config])
    if got != "Tiny two.":
        fail("routines: {default: upper-back-2}: " + got)
    r = subprocess.run([repcue, "render", "upper-back-3", "-o", os.path.join(fx.work, "x.wav")], env=env,
                       cwd=fx.work, capture_output=True, text=True, timeout=120)
    if 'say "Tiny three."' not in r.stdout:
        fail("repcue render upper-back-3: %s" % r.stderr)
    print("by-name: play, the config's default and render find routines along the search path")


def mode_card_out(repcue, fx):
    """As the packaged service runs: --card-out puts problems.txt into the
    coach's outbox, not onto the card; repcue-card-copy (what
    repcue-card.service runs as root) brings it onto the card."""
    fx.routine(fx.card, "good.yaml", "Tiny good")
    fx.routine(fx.card, "broken.yaml", "Tiny broken", broken=True)
    outbox = os.path.join(fx.work, "state", "card-out")
    os.makedirs(os.path.dirname(outbox), exist_ok=True)
    card_dir = os.path.join(fx.boot, "repcue")
    said, err = lobby_lines(repcue, fx, ["good", "--card-out", outbox], 1)
    print("\n".join("said: " + s for s in said))
    if os.path.exists(os.path.join(card_dir, "problems.txt")):
        fail("--card-out: problems.txt was written onto the card itself")
    try:
        with open(os.path.join(outbox, "problems.txt"), "rb") as f:
            text = f.read()
    except OSError as e:
        fail("no problems.txt in the outbox: %s\n%s" % (e, err))
    if b"routines/broken.yaml:4:8: error: " not in text:
        fail("the outbox's problems.txt does not name the broken routine:\n" + text.decode())
    if "Details are in problems.txt on the card." not in said[0]:
        fail("the spoken line does not point to problems.txt: " + said[0])
    copier = os.path.join(os.path.dirname(repcue), "cardcopy", "repcue-card-copy")
    r = subprocess.run([copier, outbox, card_dir], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        fail("repcue-card-copy: %d %s" % (r.returncode, r.stderr))
    with open(os.path.join(card_dir, "problems.txt"), "rb") as f:
        if f.read() != text:
            fail("the card's problems.txt is not the outbox's")
    r = subprocess.run([copier, outbox, card_dir], capture_output=True, text=True, timeout=60)
    if r.returncode != 0 or r.stderr:
        fail("a second copy with nothing changed wrote or said something: %s" % r.stderr)
    print("card-out: problems.txt in the outbox, copied onto the card by repcue-card-copy, once")


def pdf_text(path):
    r = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        fail("pdftotext %s: %s" % (path, r.stderr))
    return r.stdout


def wait_for(what, cond, timeout_s=30):
    deadline = time.monotonic() + timeout_s
    while not cond():
        if time.monotonic() > deadline:
            fail("waited %d s for %s" % (timeout_s, what))
        time.sleep(0.1)


def mode_card_sheets(repcue, fx):
    """The sheets of the routines offered and the report after a session,
    through the outbox and the copier, as the packaged service runs."""
    if shutil.which("pdftotext") is None:
        skip("pdftotext is missing (Debian package poppler-utils)")
    short = fx.tiny.replace("sets: 2", "sets: 1").replace("reps: 5", "reps: 2")
    with open(os.path.join(fx.card, "a-first.yaml"), "w") as f:
        f.write(short.replace("name: Tiny", "name: Tiny A"))
    fx.routine(fx.card, "b:second.yaml", "Tiny B")
    fx.routine(fx.card, "broken.yaml", "Tiny broken", broken=True)
    # the report's settings on the card: its target is the one drawn
    with open(os.path.join(fx.boot, "repcue", "config.yaml"), "w") as f:
        f.write("repcue: 1\nreport: {target: 5, weeks: 2}\n")
    outbox = os.path.join(fx.work, "state", "card-out")
    card_dir = os.path.join(fx.boot, "repcue")
    sheets = os.path.join(outbox, "sheets")
    copier = os.path.join(os.path.dirname(repcue), "cardcopy", "repcue-card-copy")

    # one session, started 14 s into the lobby (its line, naming the broken file, takes about 8); play ends after it (--simulate)
    cmd = [repcue, "play", "a-first", "--card-out", outbox, "--wait-for-start", "--output", "null",
           "--no-keys", "--transcript", "--simulate", "start@14"]
    proc = subprocess.Popen(cmd, env=fx.env(), cwd=fx.work, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    # The sheets are drawn by `repcue sheet` run as a child (issue 22's
    # memory): once both are there, while the coach still waits in the
    # lobby, none of cairo, pango or the drawing module is in its memory.
    drawn = [os.path.join(sheets, n) for n in ("a-first.pdf", "b_second.pdf")]
    wait_for("the sheets of the lobby", lambda: all(os.path.isfile(p) for p in drawn) or proc.poll() is not None,
             timeout_s=60)
    with open("/proc/%d/maps" % proc.pid) as f:
        mapped = sorted({line.split()[-1] for line in f if re.search(r"libcairo|libpango|repcue-draw", line)})
    with open("/proc/%d/status" % proc.pid) as f:
        peak = [line.split()[1] for line in f if line.startswith("VmHWM:")]
    if proc.poll() is not None:
        fail("play ended before the lobby's sheets were drawn")
    if mapped:
        fail("the coach drew in its own memory: it maps %s" % mapped)
    out, err = proc.communicate(timeout=120)
    r = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    if r.returncode != 0:
        fail("play exited %d:\n%s" % (r.returncode, r.stderr))
    said = [line for line in r.stdout.splitlines() if ' say "' in line]
    # the lobby line is the first thing said, at once: nothing drawn before it
    if not said or "Press start" not in said[0] or not said[0].startswith("00:00:00.000          0 "):
        fail("the lobby line is not said first, at 0: %s" % (said[:1],))
    for name, routine in (("a-first", "Tiny A"), ("b_second", "Tiny B")):
        path = os.path.join(sheets, name + ".pdf")
        if not os.path.isfile(path):
            fail("no sheet %s in the outbox: %s\n%s" % (path, os.listdir(outbox), r.stderr))
        if routine not in pdf_text(path):
            fail("the sheet %s does not name %s" % (path, routine))
    if sorted(f for f in os.listdir(sheets) if f.endswith(".pdf")) != ["a-first.pdf", "b_second.pdf"]:
        fail("sheets other than those of the routines offered: %s" % os.listdir(sheets))
    if os.path.exists(os.path.join(card_dir, "sheets")) or os.path.exists(os.path.join(card_dir, "report.pdf")):
        fail("--card-out: the coach wrote onto the card itself")
    report = os.path.join(outbox, "report.pdf")
    if not os.path.isfile(report) or not os.path.isfile(os.path.join(outbox, "history.csv")):
        fail("no report.pdf beside history.csv after the session: %s\n%s" % (os.listdir(outbox), r.stderr))
    text = pdf_text(report)
    if "Tiny A" not in text:
        fail("the report does not show the session of Tiny A:\n" + text)
    if "Target: 5 sessions a week" not in text:
        fail("the report does not use the card's report: {target: 5}:\n" + text)
    if os.path.getmtime(report) < max(os.path.getmtime(os.path.join(sheets, f)) for f in os.listdir(sheets)):
        fail("report.pdf was written before the sheets of the lobby")

    r = subprocess.run([copier, outbox, card_dir], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        fail("repcue-card-copy: %d %s" % (r.returncode, r.stderr))
    for name in ("sheets/a-first.pdf", "sheets/b_second.pdf", "report.pdf", "history.csv"):
        with open(os.path.join(outbox, name), "rb") as a, open(os.path.join(card_dir, name), "rb") as b:
            if a.read() != b.read():
                fail("the card's %s is not the outbox's" % name)
    if os.path.exists(os.path.join(card_dir, "sheets", "index.txt")):
        fail("the copier copied the index onto the card")

    # the laptop: b:second.yaml removed; a-first unchanged
    kept = os.stat(os.path.join(sheets, "a-first.pdf"))
    os.unlink(os.path.join(fx.card, "b:second.yaml"))
    gone = os.path.join(sheets, "b_second.pdf")

    def swept(n):
        wait_for("the removed routine's sheet to leave the outbox", lambda: not os.path.exists(gone))
    lobby_lines(repcue, fx, ["a-first", "--card-out", outbox], 1, each=swept)
    now = os.stat(os.path.join(sheets, "a-first.pdf"))
    if (now.st_ino, now.st_mtime_ns) != (kept.st_ino, kept.st_mtime_ns):
        fail("the unchanged routine's sheet was drawn again")
    r = subprocess.run([copier, outbox, card_dir], capture_output=True, text=True, timeout=60)
    if r.returncode != 0 or os.path.exists(os.path.join(card_dir, "sheets", "b_second.pdf")):
        fail("the copier left the removed routine's sheet on the card: %s" % r.stderr)
    if not os.path.exists(os.path.join(card_dir, "sheets", "a-first.pdf")):
        fail("the copier removed a sheet whose routine is still there")
    print("card-sheets: the coach's peak RSS when the lobby's sheets were drawn: %s kB, no cairo mapped" % peak[0])
    print("card-sheets: a sheet per routine after the lobby line, report.pdf after the session, "
          "copied onto the card; unchanged not drawn again, removed ones removed")


def mode_twins(repcue, fx):
    """Two routines with the same name (a copy made on the laptop, its name
    not changed): the lobby adds the file to tell them apart; a routine
    whose name is its own is said as before."""
    fx.routine(fx.card, "a-first.yaml", "Tiny A")
    fx.routine(fx.card, "b-copy.yaml", "Tiny A")
    fx.routine(fx.card, "c-other.yaml", "Tiny C")
    said, err = lobby_lines(repcue, fx, ["a-first", "--simulate", "start@4:900,start@8:900"], 3)
    print("\n".join("said: " + s for s in said))
    lobby = [s for s in said if "Press start" in s]
    want = ["Tiny A, from the file a-first.yaml. Press start when you are ready.",
            "Routine 2 of 3: Tiny A, from the file b-copy.yaml. Press start to begin.",
            "Routine 3 of 3: Tiny C. Press start to begin."]
    if lobby[:3] != want:
        fail("twins: %s" % lobby)
    print("twins: two routines of one name are told apart by their files")


def mode_settings(repcue, fx):
    """volume, beeps and voice: read again at the next lobby, a voice on the card."""
    fx.routine(fx.card, "a-first.yaml", "Tiny A")
    config = os.path.join(fx.boot, "repcue", "config.yaml")
    out = os.path.join(fx.boot, "repcue", "problems.txt")
    with open(config, "w") as f:
        f.write("repcue: 1\nvolume: -6 dB\nbeeps: loud\n")   # beeps: line 3
    seen = {}
    # what `repcue check` says about it, to find the same words in problems.txt
    check = subprocess.run([repcue, "check", config], capture_output=True, text=True, timeout=60, env=fx.env(),
                           cwd=fx.work)
    if check.returncode != 1 or "config.yaml:3:" not in check.stderr:
        fail("repcue check config.yaml: exit %d\n%s" % (check.returncode, check.stderr))
    problem = "config.yaml:" + check.stderr.split("config.yaml:", 1)[1].replace("\n", "\r\n")

    def each(n):
        # problems.txt is up to date when the lobby line is said
        with open(out, "rb") as f:
            seen[n] = f.read().decode()
        if n == 1:
            # on the "laptop": another volume, the beeps fixed, a German
            # voice that exists only on the card
            os.makedirs(os.path.join(fx.boot, "repcue", "voices"))
            with open(os.path.join(fx.boot, "repcue", "voices", "karte.yaml"), "w") as f:
                f.write("repcue: 1\nname: karte\nlanguage: de\nvariant: m3\n")
            with open(config, "w") as f:
                f.write("repcue: 1\nvolume: -12 dB\nbeeps: -3 dB\nvoice: karte\n")
        if n == 2:
            # a half-finished edit that is no config at all: the bracket
            # of line 3 never closed, which YAML finds at the end (line 4)
            with open(config, "w") as f:
                f.write("repcue: 1\nvolume: -20 dB\nvoice: [karte\n")

    # the second lobby: start held at 4 s; the third: held at 8 s
    def is_lobby(line):
        return "Press start" in line or "Drück auf Start" in line

    cmd = [repcue, "play", "a-first", "--simulate", "start@4:900,start@8:900", "--wait-for-start", "--output",
           "null", "--no-keys", "--transcript"]
    said, err = said_until(cmd, fx.env(), fx.work, is_lobby, 3, TIMEOUT_S, None, each)
    print("\n".join("said: " + s for s in said))
    lobbies = [s for s in said if is_lobby(s)]
    if not lobbies[0].startswith("Setting beeps on line 3 of config.yaml is not understood; using the default. "
                                 "Details are in problems.txt on the card. Tiny A."):
        fail("first lobby line: " + lobbies[0])
    if "\r\n" + problem not in seen[1] or "volume -6.0 dB, beeps 0.0 dB" not in seen[1]:
        fail("problems.txt of the first lobby:\n" + seen[1])
    # the second lobby speaks with the card's German voice; the new volume is in effect
    if "Drück auf Start" not in lobbies[1]:
        fail("the card's voice was not used at the second lobby: " + lobbies[1] + "\n" + err)
    if not seen[2].startswith("No problems.\r\n") or "volume -12.0 dB, beeps -3.0 dB, voice karte" not in seen[2]:
        fail("problems.txt of the second lobby:\n" + seen[2])
    if "volume -12.0 dB, beeps -3.0 dB, voice karte" not in err:
        fail("the log does not say the settings changed:\n" + err)
    # the broken file is named and skipped; the settings before it (the
    # card's German voice, not the Pi's English one) are kept
    if not lobbies[2].startswith("Die Konfigurationsdatei config.yaml hat einen Fehler in Zeile 4. "
                                 "Ich behalte die bisherigen Einstellungen. Einzelheiten stehen in problems.txt"):
        fail("the third lobby does not name the broken config.yaml in the voice before: " + lobbies[2] + "\n" + err)
    if ("Settings skipped (the settings from before config.yaml changed are kept):\r\n" not in seen[3] or
            "config.yaml:4:" not in seen[3] or "  hint: " not in seen[3]):
        fail("problems.txt of the third lobby does not list the broken config.yaml as skipped:\n" + seen[3])
    if "keeping the settings before" not in err or "volume -20.0 dB" in err:
        fail("the log does not say the settings before were kept:\n" + err)
    print("settings: volume, beeps and a voice on the card apply at the next lobby; a bad setting is named; "
          "a broken file is named and the settings before it kept")


def mode_buttons(repcue, fx):
    """inputs: and mapping: read again at the next lobby, opened again; a
    set with an input that does not open is named and the set before kept."""
    fx.routine(fx.card, "a-first.yaml", "Tiny A")
    fx.routine(fx.card, "b-second.yaml", "Tiny B")
    config = os.path.join(fx.boot, "repcue", "config.yaml")
    out = os.path.join(fx.boot, "repcue", "problems.txt")
    with open(config, "w") as f:
        f.write("repcue: 1\n")
    seen = {}

    def each(n):
        with open(out, "rb") as f:
            seen[n] = f.read().decode()
        if n == 1:
            # on the "laptop": next's tap made the routine chooser
            with open(config, "w") as f:
                f.write("repcue: 1\nmapping:\n  next.tap: choose-routine\n")
        if n == 2:
            # then a start button on a pin that does not exist (line 3),
            # and next's tap made nothing
            with open(config, "w") as f:
                f.write("repcue: 1\ninputs:\n  - role: start\n    gpio: {name: GPIO717}\n"
                        "mapping:\n  next.tap: none\n")

    # hold start at 4 s: the second lobby (settings read again); a tap of
    # next at 12 s: a third lobby only under the new mapping, which reads
    # the broken set; a tap of next at 20 s: a fourth only if the set
    # before (next.tap: choose-routine) was kept
    cmd = [repcue, "play", "a-first", "--simulate", "start@4:900,next@12,next@20", "--wait-for-start", "--output",
           "null", "--no-keys", "--transcript"]
    said, err = said_until(cmd, fx.env(), fx.work, lambda line: "Press start" in line, 4, TIMEOUT_S, None, each)
    print("\n".join("said: " + s for s in said))
    print("problems.txt of the third lobby:\n" + seen[3].replace("\r\n", "\n"))
    lobbies = [s for s in said if "Press start" in s]
    if "not working" in lobbies[0] or not seen[1].startswith("No problems.\r\n"):
        fail("the first lobby already had an input problem: %s\n%s" % (lobbies[0], seen[1]))
    if "Routine 1 of 2: Tiny A" not in lobbies[2]:
        fail("next's new mapping (choose-routine) did not apply: " + lobbies[2])
    if not lobbies[2].startswith("Setting inputs on line 3 of config.yaml does not work here; keeping the one "
                                 "before. Details are in problems.txt on the card."):
        fail("the third lobby does not say the new start pin does not work: " + lobbies[2] + "\n" + err)
    if "not working" in lobbies[2]:
        fail("the start pin that failed is in use: " + lobbies[2])
    if ("config.yaml:3:" not in seen[3] or "pin GPIO717 does not exist" not in seen[3] or
            "from before are kept" not in seen[3] or "  hint: " not in seen[3]):
        fail("problems.txt of the third lobby does not list the start pin:\n" + seen[3])
    if "Routine 2 of 2: Tiny B" not in lobbies[3] or "Setting inputs" in lobbies[3]:
        fail("the mapping before (choose-routine) was not kept, or the failure said twice: " + lobbies[3])
    if seen[3] != seen[4]:
        fail("problems.txt changed at the fourth lobby:\n" + seen[4])
    if err.count("the buttons and pedals changed") != 2 or err.count("gpio GPIO717") != 1 \
            or "opening the ones before again" not in err:
        fail("the log does not say the inputs were opened again, the broken set once:\n" + err)
    print("buttons: a new mapping on the card applies at the next lobby, no restart; a start pin that does not "
          "exist is named and the buttons before kept")


ALSA_TWO_DEVICES = """# two sound devices, each a file of what was played through it, unpaced
pcm.!default {
	type file
	slave.pcm "null_a"
	file "%(a)s"
	format "raw"
}
pcm.null_a { type null }
pcm.speaker_b {
	type file
	slave.pcm "null_b"
	file "%(b)s"
	format "raw"
	hint { show on description "Speaker B" }
}
pcm.null_b { type null }
"""


def mode_device(repcue, fx):
    """audio.device read again at the next lobby: one that is not there is
    named and the one before kept; one that is there is used."""
    fx.routine(fx.card, "a-first.yaml", "Tiny A")
    config = os.path.join(fx.boot, "repcue", "config.yaml")
    out = os.path.join(fx.boot, "repcue", "problems.txt")
    a, b = os.path.join(fx.work, "a.raw"), os.path.join(fx.work, "b.raw")
    conf = os.path.join(fx.work, "alsa.conf")
    with open(conf, "w") as f:
        f.write(ALSA_TWO_DEVICES % {"a": a, "b": b})
    with open(config, "w") as f:
        f.write("repcue: 1\n")
    seen, sizes = {}, {}

    def each(n):
        with open(out, "rb") as f:
            seen[n] = f.read().decode()
        sizes[n] = tuple(os.path.getsize(x) if os.path.exists(x) else 0 for x in (a, b))
        if n == 1:
            # on the "laptop": a speaker that is not there (line 3)
            with open(config, "w") as f:
                f.write("repcue: 1\naudio:\n  device: Nowhere\n")
        if n == 2:
            with open(config, "w") as f:
                f.write("repcue: 1\naudio:\n  device: speaker_b\n")

    env = fx.env()
    env["ALSA_CONFIG_PATH"] = conf
    cmd = [repcue, "play", "a-first", "--simulate", "start@4:900,start@8:900", "--wait-for-start", "--no-keys",
           "--transcript"]
    said, err = said_until(cmd, env, fx.work, lambda line: "Press start" in line, 3, TIMEOUT_S, None, each)
    print("\n".join("said: " + s for s in said))
    print("problems.txt of the second lobby:\n" + seen[2].replace("\r\n", "\n"))
    lobbies = [s for s in said if "Press start" in s]
    if "playing through 'default' (ALSA)" not in err:
        fail("the first lobby did not play through the default device of the test's ALSA configuration:\n" + err)
    if not lobbies[1].startswith("Setting audio.device on line 3 of config.yaml does not work here; keeping the "
                                 "one before. Details are in problems.txt on the card."):
        fail("the second lobby does not name the sound device that is not there: " + lobbies[1] + "\n" + err)
    if ("config.yaml:3:" not in seen[2] or "sound device 'Nowhere' does not work here" not in seen[2] or
            "  hint: " not in seen[2]):
        fail("problems.txt of the second lobby does not list the sound device:\n" + seen[2])
    # the second lobby was said through the device before (a.raw), the
    # third through the new one (b.raw, empty until then)
    if sizes[2][0] == 0 or sizes[2][1] != 0 or sizes[3][1] == 0:
        fail("bytes played into a.raw, b.raw at each lobby: %s\n%s" % (sizes, err))
    if "playing through 'speaker_b' (ALSA)" not in err or not seen[3].startswith("No problems.\r\n"):
        fail("the sound device that is there was not used, or is still listed:\n%s\n%s" % (seen[3], err))
    print("device: a sound device that is not there is named and the one before kept; one that is there is "
          "used from the next lobby on")


def mode_music_problems(repcue, fx):
    """A music file that cannot be played is named in problems.txt (issue
    22): the lobby's music scan skips a 0-byte track and keeps the good one."""
    import math, struct, wave
    fx.routine(fx.card, "good.yaml", "Tiny good")
    music = os.path.join(fx.boot, "repcue", "music")
    os.makedirs(music)
    with wave.open(os.path.join(music, "a-tone.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(48000)
        w.writeframes(b"".join(struct.pack("<h", int(3000 * math.sin(2 * math.pi * 440 * i / 48000)))
                               for i in range(48000 * 2)))
    open(os.path.join(music, "b-empty.mp3"), "wb").close()
    out = os.path.join(fx.boot, "repcue", "problems.txt")
    found = {}

    def each(n):
        # written once the lobby's music scan has run: waited for, bounded
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if os.path.exists(out):
                with open(out, "rb") as f:
                    found["text"] = f.read().decode()
                if "music/b-empty.mp3" in found["text"]:
                    return
            time.sleep(0.1)

    said, err = lobby_lines(repcue, fx, ["good"], 1, each=each)
    text = found.get("text", "")
    print(text)
    if "Music skipped" not in text or "music/b-empty.mp3" not in text:
        fail("problems.txt does not name the music file that cannot be played:\n" + text + "\n" + err)
    if "a-tone.wav" in text:
        fail("the good track was named as a problem:\n" + text)
    print("music-problems: the 0-byte track is named in problems.txt, the good one is not")


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    mode, repcue, source = sys.argv[1:]
    work = tempfile.mkdtemp(prefix="repcue-lobby-")
    try:
        fx = Fixture(source, work)
        {"reload": mode_reload, "fallback": mode_fallback, "config": mode_config,
         "problems": mode_problems, "by-name": mode_by_name, "start-typo": mode_start_typo,
         "pedal-not-device": mode_pedal_not_device, "card-out": mode_card_out,
         "twins": mode_twins, "settings": mode_settings, "buttons": mode_buttons, "device": mode_device,
         "music-problems": mode_music_problems, "card-sheets": mode_card_sheets}[mode](repcue, fx)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
