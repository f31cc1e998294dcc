#!/usr/bin/env python3
"""sheet_time.py REPCUE SOURCE_DIR [RUNS]: the wall time of one `repcue
sheet` (the whole process: start-up, loading the routine and the voice,
the plan, fontconfig and pango, the layout, cairo, the file written and
fsync'd), for every seed routine in PDF, SVG and PNG; RUNS runs each
(default 7): the median and the fastest wall time, and the median CPU
time (user + system, from the child's rusage: what a loaded machine's
wait does not inflate), and the median time the command itself reports
("in N ms": from loading the routine to the file renamed into place,
without the process's start-up and dynamic linking). Target: under 100 ms for a sheet. Printed, never
asserted (a shared, noisy machine)."""
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time


def main():
    repcue, src = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    routines = ["upper-back-1", "upper-back-2", "upper-back-3", "de/upper-back-1"]
    medians, cpus, insides = [], [], []
    with tempfile.TemporaryDirectory() as work:
        env = dict(os.environ, HOME=work, XDG_CACHE_HOME=os.path.join(work, "cache"),
                   REPCUE_CONFIG="none")
        print("%-18s %-4s %10s %10s %10s %10s %10s" % ("routine", "fmt", "median ms", "min ms", "cpu ms",
                                                        "in cmd ms", "bytes"))
        for routine in routines:
            for fmt in ("pdf", "svg", "png"):
                out = os.path.join(work, "sheet." + fmt)
                times, cpu, inside = [], [], []
                for _ in range(runs):
                    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                    t0 = time.perf_counter()
                    p = subprocess.run([repcue, "sheet", os.path.join(src, "routines", routine + ".yaml"),
                                        "-o", out], check=True, env=env, stderr=subprocess.PIPE, text=True)
                    times.append((time.perf_counter() - t0) * 1000)
                    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                    cpu.append((r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime) * 1000)
                    m = re.search(r"in ([0-9]+) ms", p.stderr)
                    inside.append(float(m.group(1)) if m else float("nan"))
                med = statistics.median(times)
                medians.append(med)
                cpus.append(statistics.median(cpu))
                insides.append(statistics.median(inside))
                print("%-18s %-4s %10.1f %10.1f %10.1f %10.1f %10d" % (
                    routine, fmt, med, min(times), statistics.median(cpu), statistics.median(inside),
                    os.path.getsize(out)))
    print("one sheet, median over all: %.1f ms wall (process), %.1f ms CPU, %.1f ms in the command "
          "(target < 100 ms); load average %.1f" % (statistics.median(medians), statistics.median(cpus),
                                                   statistics.median(insides), os.getloadavg()[0]))


if __name__ == "__main__":
    main()
