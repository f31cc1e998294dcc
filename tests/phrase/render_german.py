#!/usr/bin/env python3
"""A German session end to end (render tier): `repcue render` of the
German level-1 routine with the German voice. The transcript has the
German phrasebook's sentences and none of the English one's; the first
seconds of the WAV, where only the introduction is spoken (no beep yet),
are speech, not silence.

Usage: render_german.py REPCUE SOURCE_DIR"""
import array
import os
import re
import subprocess
import sys
import tempfile
import wave

repcue, src = sys.argv[1], sys.argv[2]
failures = passes = 0


def check(desc, ok):
    global failures, passes
    if ok:
        passes += 1
    else:
        failures += 1
        print("FAILED: " + desc)


def phrases(path):
    """{PHRASE_ID: text} of a phrasebook file (C string pieces joined)."""
    text = open(path, encoding="utf-8").read()
    out = {}
    for m in re.finditer(r'\[(PHRASE_\w+)\]\s*=\s*((?:"(?:[^"\\]|\\.)*"\s*)+),', text):
        out[m.group(1)] = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2)))
    return out


def pattern(tmpl):
    """A regex for a phrase with any slot values."""
    parts = re.split(r"\{\w+\}", tmpl)
    return re.compile("^" + ".*".join(re.escape(p) for p in parts) + "$", re.S)


en = phrases(os.path.join(src, "src/phrase/phrases_en.c"))
de = phrases(os.path.join(src, "src/phrase/phrases_de.c"))
check("the phrasebook files parse (%d English, %d German phrases)" % (len(en), len(de)),
      len(en) > 60 and set(en) == set(de))

with tempfile.TemporaryDirectory() as work:
    env = dict(os.environ, HOME=work, XDG_CACHE_HOME=work + "/cache", XDG_STATE_HOME=work + "/state",
               XDG_CONFIG_HOME=work + "/config", REPCUE_CACHE_DIR=work + "/cache", REPCUE_DATA_DIR=src)
    env.pop("REPCUE_STATE_DIR", None)
    routine = os.path.join(src, "routines/de/upper-back-1.yaml")
    chk = subprocess.run([repcue, "check", routine, os.path.join(src, "voices/trainer-de.yaml")],
                         env=env, capture_output=True, text=True)
    check("repcue check passes the German routine and voice: " + chk.stdout + chk.stderr,
          chk.returncode == 0)
    wav = os.path.join(work, "de.wav")
    r = subprocess.run([repcue, "render", routine, "-o", wav, "--press", "repeat@200,pause@300,pause@303", "--with-history"],
                       env=env, capture_output=True, text=True)
    check("render exits 0: " + r.stderr[-500:], r.returncode == 0)
    said = [m.group(1) for m in re.finditer(r'  say "(.*)"$', r.stdout, re.M)]
    check("lines were said (%d)" % len(said), len(said) > 100)

    for line in ["Oberer Rücken, Stufe 1.", "Du brauchst: Massageball und leichtes Widerstandsband.",
                 "Aufwärmen.", "Jetzt der Hauptteil.", "Übung 1 von 8: Brust lösen mit dem Ball.",
                 "Übung 8 von 8: Rudern mit dem Band.", "30 Sekunden halten, pro Seite.",
                 "2 Sätze mit 8 Wiederholungen.", "Satz 1 von 2.", "Satz 2 von 2.",
                 "Zuerst die linke Seite.", "Roll den Ball hinüber auf die andere Brustseite, jetzt rechts.",
                 "Los.", "Halten.", "Und lösen.", "Pause, 30 Sekunden.", "Gleich: Satz 2 von 2.",
                 "Als Nächstes: Band auseinanderziehen.", "Die letzte von Satz 2.",
                 "Pause.", "Weiter geht's.",
                 "Das war das ganze Training. Gut gemacht, bis zum nächsten Mal.",
                 "Das ist dein erstes Training in dieser Woche."]:
        check("German line said: " + line, line in said)
    check("a repeat press is confirmed in German",
          any(re.match(r"^(Satz \d noch einmal.*|Noch einmal.*)$", s) for s in said))
    # No fixed English sentence: every English phrase that differs from
    # its German one, as a pattern over slot values, matches no line.
    skip = {"PHRASE_EACH_SIDE", "PHRASE_LIST_SEP", "PHRASE_LIST_LAST_SEP",
            "PHRASE_SIDE_LEFT", "PHRASE_SIDE_RIGHT"}  # parts of lines, not lines
    english = [(k, pattern(t)) for k, t in en.items() if k not in skip and t != de.get(k)]
    for s in set(said):
        hit = [k for k, p in english if p.match(s)]
        check("no English phrase in '%s' (%s)" % (s, ", ".join(hit)), not hit)
    for word in ["Exercise", "Rest,", "Next up", "Get ready", "session this week", " seconds"]:
        check("no '%s' anywhere in the transcript" % word, word not in r.stdout)

    # The introduction (no beeps before the first countdown) is speech:
    # peaks above what beeps reach alone (0.18) and sound most of the time.
    if not os.path.exists(wav):
        print("render_german: no WAV written; %d passed, %d failed" % (passes, failures + 1))
        sys.exit(1)
    first_beep = re.search(r"^\S+\s+(\d+)  beep", r.stdout, re.M)
    with wave.open(wav) as w:
        rate, ch, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
        check("48 kHz 16-bit mono", (rate, ch, width) == (48000, 1, 2))
        end = int(first_beep.group(1)) if first_beep else rate * 10
        n = min(end, rate * 20)
        samples = array.array("h", w.readframes(n))
    if sys.byteorder == "big":
        samples.byteswap()
    check("at least 5 s before the first beep (%d frames)" % n, n >= rate * 5)
    peak = max(abs(x) for x in samples) / 32768 if samples else 0
    win = rate // 10
    loud = sum(1 for i in range(0, len(samples) - win, win)
               if max(abs(x) for x in samples[i:i + win]) > 0.05 * 32768)
    windows = max(1, (len(samples) - win) // win)
    check("speech peaks in the introduction (%.2f > 0.25)" % peak, peak > 0.25)
    check("sound in most of the introduction (%d of %d tenths of a second)" % (loud, windows),
          loud > windows // 2)

# eSpeak NG says the digits of the German lines as German numbers: the
# phonemes it makes for a line of this transcript with the profile's
# language (the library repcue links, through ctypes).
import ctypes  # noqa: E402

lang = re.search(r"^language:\s*(\S+)", open(os.path.join(src, "voices/trainer-de.yaml")).read(), re.M).group(1)
lib = ctypes.CDLL("libespeak-ng.so.1")
check("eSpeak NG starts", lib.espeak_Initialize(2, 0, None, 0) > 0)  # AUDIO_OUTPUT_SYNCHRONOUS
check("eSpeak NG has the voice '%s'" % lang, lib.espeak_SetVoiceByName(lang.encode()) == 0)
lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int]


def phonemes(text):
    buf = ctypes.create_string_buffer(text.encode())
    p = ctypes.c_void_p(ctypes.addressof(buf))
    out = []
    while p.value:
        r = lib.espeak_TextToPhonemes(ctypes.byref(p), 1, 0)  # espeakCHARS_UTF8, phoneme mnemonics
        out.append(r.decode(errors="replace") if r else "")
    return " ".join(out)


line = "Satz 2 von 2."
ph = phonemes(line) if line in said else ""
check("'%s' is said with a German two ('tsv'aI' in %s)" % (line, ph), "tsv'aI" in ph and "tu:" not in ph)
ph = phonemes("Pause, 30 Sekunden.")
check("30 is 'dreißig' (%s)" % ph, "dr'aIsIC" in ph)

print("render_german: %d passed, %d failed" % (passes, failures))
sys.exit(1 if failures else 0)
