#!/usr/bin/env python3
"""press_capture.py REPCUE ROUTINE ALSA_FILE_CONF WORK_DIR

An independent look at press latency: 20 presses (10 of the bench's 400
pseudo-random instants, a pause there and the resume 2 s later) played by
`repcue play` through the real PortAudio -> ALSA path into the ALSA file
plugin, and read back from the captured samples. For press k the capture is
compared with `repcue render` of the same routine with only the presses
before k: the first sample that differs is the first change press k made.
The confirmation's first sample at or above -40 dBFS is found from the
transcript's `say` frame. Prints figures; never fails on them.

Run it with a private HOME, XDG dirs and /dev/shm (bench/run does, through
tests/system/private-shm)."""
import array
import os
import re
import subprocess
import sys
import wave

RATE = 48000
EVENTS = 400          # as bench_live control
EVERY = 40            # 10 of them
RESUME_S = 2.0
AUDIBLE = 0.01        # -40 dBFS
TOLERANCE = 1.5 / 32768  # the render's WAV is 16-bit, the capture float


def render(repcue, routine, presses, out, env):
    args = [repcue, "render", routine, "-o", out]
    if presses:
        args += ["--press", ",".join(presses)]
    r = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        sys.exit("press_capture: render failed: " + r.stderr)
    return r


def wav_samples(path):
    with wave.open(path, "rb") as w:
        ch = w.getnchannels()
        data = array.array("h", w.readframes(w.getnframes()))
    return [data[i] / 32768.0 for i in range(0, len(data), ch)]


def first_nonzero(x, tol=0.0):
    for i, v in enumerate(x):
        if abs(v) > tol:
            return i
    return -1


def events(total):
    """bench_live control's event frames (the same xorshift, same seed)."""
    x, out, mask = 0x9e3779b97f4a7c15, [], (1 << 64) - 1
    slice_ = total // EVENTS
    for i in range(EVENTS):
        x ^= (x << 13) & mask
        x ^= x >> 7
        x ^= (x << 17) & mask
        out.append(i * slice_ + x % slice_)
    return out


def dist(name, v):
    v = sorted(v)
    if not v:
        print("%s: none" % name)
        return
    p95 = v[min(len(v) - 1, int(round(0.95 * (len(v) - 1))))]
    print("%-44s n=%2d  median %6.1f  p95 %6.1f  max %6.1f ms" %
          (name, len(v), v[len(v) // 2] / 48.0, p95 / 48.0, v[-1] / 48.0))


def main():
    repcue, routine, conf_template, work = sys.argv[1:5]
    env = dict(os.environ)
    env["REPCUE_CACHE_DIR"] = os.path.join(work, "cache")
    plain = os.path.join(work, "plain.wav")
    r = render(repcue, routine, [], plain, env)
    total = int(re.search(r"\((\d+) frames at", r.stderr).group(1))
    presses, at = [], []
    for e in events(total)[::EVERY]:
        for t in (e, e + int(RESUME_S * RATE)):
            presses.append("pause@%.6f" % (t / RATE))
            at.append(round(t / RATE * RATE))

    # Fill the disk cache with every line the pressed session says
    # ("Paused.", "Resuming."): play loads them before the sound starts, as
    # on any second start; a cold start's confirmations are made on the
    # speech thread after the first line, and the unpaced file plugin would
    # outrun that.
    render(repcue, routine, presses, os.path.join(work, "all.wav"), env)
    capture = os.path.join(work, "capture.f32")
    conf = os.path.join(work, "alsa.conf")
    with open(conf_template) as f:
        text = re.sub(r'file "[^"]*"', 'file "%s"' % capture, f.read())
    with open(conf, "w") as f:
        f.write(text)
    penv = dict(env, ALSA_CONFIG_PATH=conf)
    # A budget that holds every line: the file plugin runs unpaced, far
    # faster than real time, and the speech thread must not fall behind.
    p = subprocess.run([repcue, "play", routine, "--press", ",".join(presses), "--no-keys", "--transcript",
                        "--speech-budget-mb", "64"],
                       env=penv, capture_output=True, text=True, timeout=1200)
    if p.returncode != 0 or "playing through" not in p.stderr:
        sys.exit("press_capture: play did not run through ALSA: " + p.stderr)
    raw = array.array("f")
    with open(capture, "rb") as f:
        raw.frombytes(f.read())
    cap = raw[0::2]
    says = [(int(m.group(1)), m.group(2)) for m in re.finditer(r'^\S+\s+(\d+)\s+say "([^"]*)"', p.stdout, re.M)]

    ref0 = wav_samples(plain)
    offset = first_nonzero(cap, TOLERANCE) - first_nonzero(ref0, TOLERANCE)
    changed, heard = [], []
    for k, t in enumerate(at):
        ref_path = os.path.join(work, "ref%d.wav" % k)
        before = presses[:k]
        if k % 2:  # paused: resume much later, so the session can end
            before = before + ["pause@%.6f" % (t / RATE + 60)]
        render(repcue, routine, before, ref_path, env)
        ref = wav_samples(ref_path)
        os.unlink(ref_path)
        n = min(len(ref), len(cap) - offset)
        diff = next((i for i in range(max(0, t - RATE), n) if abs(cap[i + offset] - ref[i]) > TOLERANCE), -1)
        if diff >= 0:
            changed.append(diff - t)
        conf_at = next((f for f, _ in says if f >= t), -1)
        if conf_at >= 0:
            audible = next((i for i in range(conf_at, len(cap) - offset) if abs(cap[i + offset]) >= AUDIBLE), -1)
            if audible >= 0:
                heard.append(audible - t)
    print("independent capture (ALSA file plugin), %d presses (pause and resume), capture offset %d frames,"
          " %d waits for speech in the transcript" % (len(at), offset, p.stdout.count(" wait for ")))
    dist("  press -> first changed sample", changed)
    dist("  press -> confirmation audible (>= -40 dBFS)", heard)


if __name__ == "__main__":
    main()
