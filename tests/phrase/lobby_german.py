#!/usr/bin/env python3
"""The lobby speaks the language of the routine it offers (system tier).

The real binary waits for the start button (--wait-for-start) with a fake
boot partition ($REPCUE_BOOT_DIR) holding a German routine (voice
trainer-de), an English one, a broken one and a config.yaml with a bad setting, paced
by the null output (no sound card); start is held through the real
gesture decoder (--simulate). The first lobby entry offers the German
routine: the bad setting, the skipped routine file and the lobby line are said
in German. Holding start offers the English routine: in English.

usage: lobby_german.py REPCUE SOURCE_DIR"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

TIMEOUT_S = 60
repcue, src = sys.argv[1], sys.argv[2]


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from repcue_test import fail, said_until  # noqa: E402


with tempfile.TemporaryDirectory() as work:
    boot = os.path.join(work, "boot")
    card = os.path.join(boot, "repcue", "routines")
    data = os.path.join(work, "data")
    os.makedirs(card)
    os.makedirs(os.path.join(data, "routines"))
    shutil.copytree(os.path.join(src, "voices"), os.path.join(data, "voices"))
    tiny = open(os.path.join(src, "tests", "system", "tiny.yaml")).read()
    with open(os.path.join(card, "a-de.yaml"), "w") as f:
        f.write(tiny.replace("name: Tiny", "name: Klein").replace("voice: coach", "voice: trainer-de"))
    with open(os.path.join(card, "b-en.yaml"), "w") as f:
        f.write(tiny.replace("name: Tiny", "name: Tiny B"))
    with open(os.path.join(card, "broken.yaml"), "w") as f:
        f.write(tiny.replace("level: 1", "level: high"))  # line 4
    with open(os.path.join(boot, "repcue", "config.yaml"), "w") as f:
        f.write("repcue: 1\nroutines:\n  default: a-de\naudio:\n  nonsense: 3\n")  # line 5
    env = dict(os.environ, REPCUE_BOOT_DIR=boot, REPCUE_DATA_DIR=data, REPCUE_CACHE_DIR=os.path.join(work, "cache"),
               HOME=work, XDG_CACHE_HOME=os.path.join(work, "xdg-cache"),
               XDG_STATE_HOME=os.path.join(work, "state"), XDG_CONFIG_HOME=os.path.join(work, "config"))
    env.pop("REPCUE_CONFIG", None)
    env.pop("REPCUE_STATE_DIR", None)
    cmd = [repcue, "play", "a-de", "--wait-for-start", "--output", "null", "--no-keys", "--transcript",
           "--simulate", "start@4:900"]
    said, err = said_until(cmd, env, work, lambda line: "Drück auf Start" in line or "Press start" in line,
                           2, TIMEOUT_S)
    lobbies = [line for line in said if "Drück auf Start" in line or "Press start" in line]
    print("\n".join("lobby: " + s for s in lobbies))
    want = ("Die Einstellung audio.nonsense in Zeile 5 von config.yaml verstehe ich nicht; "
            "ich nehme den Standardwert. "
            "Die Routinedatei broken.yaml hat einen Fehler in Zeile 4. Ich überspringe sie. "
            "Einzelheiten stehen in problems.txt auf der Karte. "
            "Klein. Drück auf Start, wenn du bereit bist.")
    if lobbies[0] != want:
        fail("first lobby line, German routine:\n  got  %s\n  want %s" % (lobbies[0], want))
    want = "Routine 2 of 2: Tiny B. Press start to begin."
    if lobbies[1] != want:
        fail("second lobby line, English routine:\n  got  %s\n  want %s" % (lobbies[1], want))
    print("lobby_german: the lobby speaks the offered routine's language")
