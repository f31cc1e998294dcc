#!/usr/bin/env python3
"""`repcue render --config FILE` takes the settings `repcue play` takes
(issue 19 item 1), through the real binary:

  volume    volume: -6 dB renders the same routine 6 dB (within 0.1) lower,
            peak and RMS, sample for sample within the 16-bit rounding
  bad       a bad setting is reported with file:line and a fix, and the
            other settings still apply
  language  language: de speaks the coach's own sentences in German
  voice     voice: NAME found in <card>/repcue/voices ($REPCUE_BOOT_DIR)
            before the packaged voices: a German profile there speaks the
            coach's lines in German

usage: render_config.py REPCUE SOURCE_DIR"""
import array
import math
import os
import subprocess
import sys
import tempfile
import wave

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from repcue_test import fail  # noqa: E402

repcue, src = sys.argv[1], sys.argv[2]
tiny = os.path.join(src, "tests", "system", "tiny.yaml")


def samples(path):
    with wave.open(path) as w:
        if w.getsampwidth() != 2:
            fail("not 16-bit: %s" % path)
        a = array.array("h", w.readframes(w.getnframes()))
    if sys.byteorder != "little":
        a.byteswap()
    return a


def render(work, name, config, env):
    """Renders tiny.yaml to NAME.wav, with a config file holding `config`
    (None: without --config). Returns (samples, the completed process)."""
    out = os.path.join(work, name + ".wav")
    args = [repcue, "render", tiny, "-o", out]
    if config is not None:
        path = os.path.join(work, name + ".yaml")
        with open(path, "w") as f:
            f.write(config)
        args += ["--config", path]
    r = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env, cwd=work)
    if r.returncode != 0:
        fail("%s: exit %d\n%s" % (" ".join(args), r.returncode, r.stderr))
    return samples(out), r


with tempfile.TemporaryDirectory() as work:
    boot = os.path.join(work, "boot")
    os.makedirs(os.path.join(boot, "repcue", "voices"))
    env = dict(os.environ, REPCUE_BOOT_DIR=boot, REPCUE_CACHE_DIR=os.path.join(work, "cache"), HOME=work,
               XDG_STATE_HOME=os.path.join(work, "state"), XDG_CACHE_HOME=os.path.join(work, "xdg-cache"))
    env.pop("REPCUE_CONFIG", None)

    default, _ = render(work, "default", None, env)
    soft, _ = render(work, "soft", "repcue: 1\nvolume: -6 dB\n", env)
    if len(default) != len(soft):
        fail("lengths differ: %d %d" % (len(default), len(soft)))
    g = 10 ** (-6 / 20)
    worst = max(abs(s - g * d) for s, d in zip(soft, default))
    if worst > 1:
        fail("volume -6 dB is not a scale of the default render: worst %.1f LSB" % worst)
    peak = 20 * math.log10(max(map(abs, soft)) / max(map(abs, default)))
    rms = 20 * math.log10(math.sqrt(sum(s * s for s in soft) / sum(d * d for d in default)))
    if abs(peak + 6) > 0.1 or abs(rms + 6) > 0.1:
        fail("volume -6 dB: peak %+.3f dB, RMS %+.3f dB" % (peak, rms))
    print("volume: -6 dB is peak %+.3f dB, RMS %+.3f dB, within %.1f LSB of a scale" % (peak, rms, worst))

    also_soft, r = render(work, "bad", "repcue: 1\nbeeps: loud\nvolume: -6 dB\n", env)
    if "bad.yaml:2:" not in r.stderr or "hint: " not in r.stderr:
        fail("the bad setting is not reported with file:line and a fix:\n" + r.stderr)
    if also_soft != soft:
        fail("the good setting (volume) was not applied next to the bad one")
    print("bad: the bad setting is named, the volume still applies")

    with open(os.path.join(boot, "repcue", "voices", "karte.yaml"), "w") as f:
        f.write("repcue: 1\nname: karte\nlanguage: de\nvariant: m3\n")
    _, r = render(work, "voice", "repcue: 1\nvoice: karte\n", env)
    if "Gut gemacht" not in r.stdout and "Übung" not in r.stdout:
        fail("the card's German voice did not speak:\n" + r.stdout)
    print("voice: a voice profile in <card>/repcue/voices is used")

    _, r = render(work, "language", "repcue: 1\nlanguage: de\n", env)
    if "Gut gemacht" not in r.stdout and "Übung" not in r.stdout:
        fail("language: de did not make the coach speak German:\n" + r.stdout)
    _, r = render(work, "english", "repcue: 1\n", env)
    if "Gut gemacht" in r.stdout or "Übung" in r.stdout:
        fail("German without language: de:\n" + r.stdout)
    print("language: de speaks the coach's own sentences in German")
