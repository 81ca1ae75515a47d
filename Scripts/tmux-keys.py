#!/usr/bin/env python3
"""Keystroke latency as seen in tmux, without polling.

Attaches to a tmux server in control mode (one client, no process per poll), sends each key with
send-keys, and after every piece of output the pane produces asks for the pane's first lines until
they match what the key should show. Prints one line per key: microseconds from sending the key
to the first screen that shows its effect. tmux's own work (the key to the pane, the pane's output
parsed into the screen) is included; the harness adds one control-mode round trip per output.

Usage: tmux-keys.py SOCKET TARGET LINES  < steps   (a step per line: KEY<TAB>REGEX; KEY as for
send-keys, REGEX searched in the pane's first LINES lines). Exits 1 when a step never matches
within 10 s.
"""
import os
import re
import select
import subprocess
import sys
import time


class ControlClient:
    def __init__(self, socket):
        self.process = subprocess.Popen(["tmux", "-L", socket, "-C", "attach"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
        self.buffer = b""
        self.outputs = 0  # %output notifications seen

    def line(self, deadline):
        while b"\n" not in self.buffer:
            if time.monotonic() > deadline:
                raise TimeoutError
            ready, _, _ = select.select([self.process.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError
            chunk = os.read(self.process.stdout.fileno(), 65536)
            if not chunk:
                raise EOFError("tmux control client ended")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        if line.startswith(b"%output "):
            self.outputs += 1
        return line

    def command(self, text, deadline):
        self.process.stdin.write(text.encode() + b"\n")
        body = []
        inside = False
        while True:
            line = self.line(deadline)
            if line.startswith(b"%begin "):
                inside = True
            elif inside and (line.startswith(b"%end ") or line.startswith(b"%error ")):
                return b"\n".join(body).decode(errors="replace")
            elif inside:
                body.append(line)

    def close(self):
        """Detaches; a client still there after a second is ended (one was seen to stay, keeping
        the tmux server alive after the bench)."""
        self.process.stdin.close()
        try:
            self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def wait_for_output(self, seen, deadline):
        """Returns once output beyond the first `seen` pieces has arrived."""
        while self.outputs == seen:
            self.line(deadline)
        # Take whatever else is already queued before looking at the screen.
        while b"\n" in self.buffer:
            self.line(deadline)


def main():
    socket, target, lines = sys.argv[1], sys.argv[2], int(sys.argv[3])
    client = ControlClient(socket)
    try:
        run(client, target, lines)
    finally:
        client.close()


def run(client, target, lines):
    capture = f"capture-pane -p -t {target} -S 0 -E {lines - 1}"
    client.command("display-message -p ready", time.monotonic() + 10)
    for step in sys.stdin.read().splitlines():
        if not step.strip():
            continue
        key, pattern = step.split("\t", 1)
        expected = re.compile(pattern)
        deadline = time.monotonic() + 10
        start = time.monotonic()
        client.command(f"send-keys -t {target} {key}", deadline)
        while True:
            seen = client.outputs
            screen = client.command(capture, deadline)
            if expected.search(screen):
                break
            try:
                client.wait_for_output(seen, deadline)
            except TimeoutError:
                print(f"tmux-keys.py: {key!r} never showed {pattern!r}; the screen:\n{screen}", file=sys.stderr)
                raise
        print(int((time.monotonic() - start) * 1e6), flush=True)


if __name__ == "__main__":
    try:
        main()
    except (TimeoutError, EOFError) as error:
        print(f"tmux-keys.py: {str(error) or 'a step did not show within 10 s'}", file=sys.stderr)
        sys.exit(1)
