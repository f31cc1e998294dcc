#!/usr/bin/env python3
"""The status line of `repcue play` in a terminal (issue 18, the command
line): the real binary on a pseudo-terminal (stdin, stdout and stderr),
the null output pacing the session in real time. The line is rewritten in
place ("\\r\\033[K...") with no newline, so it must be flushed each time:
it has to reach the terminal while the session runs, not at the next
newline. Waits for the condition (a bounded deadline, never a sleep), then
quits with the q key.

    status_line_pty.py REPCUE ROUTINE

Exit 0 pass, 1 fail, 77 skipped (no pty).
"""
import fcntl
import os
import select
import subprocess
import sys
import tempfile
import termios
import time

repcue, routine = sys.argv[1:3]


def controlling_tty():
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def main():
    try:
        master, slave = os.openpty()
    except OSError as e:
        print(f"SKIP: no pseudo-terminal: {e}")
        return 77
    with tempfile.TemporaryDirectory(prefix="repcue-status-") as work:
        env = {k: v for k, v in os.environ.items() if not k.startswith("REPCUE_")}
        env.update(HOME=work, XDG_CACHE_HOME=f"{work}/cache", XDG_STATE_HOME=f"{work}/state",
                   XDG_CONFIG_HOME=f"{work}/config", XDG_RUNTIME_DIR=work,
                   REPCUE_CACHE_DIR=f"{work}/speech", TERM="xterm")
        proc = subprocess.Popen([repcue, "play", routine, "--output", "null", "--config", "none"], stdin=slave, stdout=slave,
                                stderr=slave, env=env, close_fds=True, preexec_fn=controlling_tty)
        os.close(slave)
        out = b""
        seen = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            r, _, _ = select.select([master], [], [], 0.1)
            if r:
                try:
                    out += os.read(master, 4096)
                except OSError:
                    break
            # a status line: after the last "\r\033[K" some text, and the
            # session still running (so it came unprompted by a newline)
            tail = out.rsplit(b"\r\033[K", 1)
            if len(tail) == 2 and tail[1].strip() and b"\n" not in tail[1]:
                seen = tail[1].decode(errors="replace")
                break
        if proc.poll() is None:
            os.write(master, b"q")
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            print("FAILED: play did not quit on q")
            return 1
        os.close(master)
    if not seen:
        print("FAILED: no status line reached the terminal while the session ran; output:")
        print(out.decode(errors="replace")[-2000:])
        return 1
    print(f"status line seen while playing: {seen!r}")
    print("status_line_pty: 1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
