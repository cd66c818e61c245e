#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Measure what Claude Gauge costs a user: memory, time to first frame, --status time.

    bench/app-footprint.py [BUILD_DIR] [--history DIR]        (default: build)

Runs the built app against a loopback stand-in for the usage API, in a
throw-away HOME, under its own virtual display and session bus when none is
given (xvfb-run, dbus-run-session). Prints:

  * time from launch to the window's first frame,
  * resident memory with the window open, and after it is closed while the
    app keeps running in the background (goal: <= 30 MB),
  * `claude-gauge --status` wall time from a stored reading (goal: <= 30 ms),

and, measured in the same run, a peer: a minimal libadwaita window built by
this script (the floor any GTK 4 app pays) and `claude-gauge --version` (the
floor of starting the binary).

With --history, the app reads Claude Code transcripts from DIR (as CLAUDE_CONFIG_DIR), indexed
beforehand by `claude-gauge --report=daily`, so that its local usage holds what a real user's
does (bench/ccusage-compare.py generates such histories); otherwise it has none.
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gauge_bench import (FakeApi, make_home, nest_under_display, rss_kib,  # noqa: E402
                         rss_split_kib, usage_payload)

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
APP_ID = "io.github.claudegauge.ClaudeGauge"

PEER_C = r"""
#include <adwaita.h>
static void first_paint (GdkFrameClock *clock, gpointer data)
{
  g_printerr ("peer: first frame\n");
  g_signal_handlers_disconnect_by_func (clock, first_paint, data);
}
static void realized (GtkWidget *w, gpointer data)
{
  g_signal_connect (gtk_widget_get_frame_clock (w), "after-paint", G_CALLBACK (first_paint), NULL);
}
static void activate (GApplication *app, gpointer data)
{
  GtkWidget *win = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), gtk_label_new ("Hello"));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (win), box);
  gtk_window_set_default_size (GTK_WINDOW (win), 420, 520);
  g_signal_connect (win, "realize", G_CALLBACK (realized), NULL);
  gtk_window_present (GTK_WINDOW (win));
  g_application_hold (app);
}
int main (int argc, char **argv)
{
  AdwApplication *app = adw_application_new ("org.example.Peer", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
"""


def wait_for_line(proc, needle, timeout=30):
    """Reads the process's output until a line contains needle; returns the time seen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if needle in line:
            return time.monotonic()
    raise SystemExit(f"never saw {needle!r} from {proc.args[0]}")


def drain(proc):
    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()


def build_peer(workdir):
    src = os.path.join(workdir, "peer.c")
    exe = os.path.join(workdir, "peer")
    with open(src, "w") as f:
        f.write(PEER_C)
    flags = subprocess.check_output(["pkg-config", "--cflags", "--libs", "libadwaita-1"], text=True).split()
    subprocess.check_call(["cc", "-O2", "-o", exe, src] + flags)
    return exe


def median_ms(argv, env, runs=21):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def mirror_history(source, dest):
    """@source's folders made again under @dest, its transcripts linked into them, each
    folder's mtime that of the newest thing in it, as in a Claude Code folder used for months
    (a generated history's folders all carry the day it was generated: the app would take
    every session as one of this week's)."""
    newest = {}
    for d, dirs, files in os.walk(source, topdown=True):
        target = os.path.join(dest, os.path.relpath(d, source))
        os.makedirs(target, exist_ok=True)
        for f in files:
            os.symlink(os.path.join(d, f), os.path.join(target, f))
        # The transcripts' times: the generator leaves other files (agent-*.meta.json) at
        # the time it wrote them, where Claude Code writes them with the transcript.
        newest[target] = max([os.stat(os.path.join(d, f)).st_mtime for f in files
                              if f.endswith(".jsonl")], default=0)
    for target in sorted(newest, key=len, reverse=True):   # children first
        parent = os.path.dirname(target)
        if parent in newest:
            newest[parent] = max(newest[parent], newest[target])
        os.utime(target, (newest[target], newest[target]))


def main():
    args = sys.argv[1:]
    history = None
    if "--history" in args:
        i = args.index("--history")
        history = os.path.abspath(args[i + 1])
        del args[i:i + 2]
    build = os.path.abspath(args[0] if args else os.path.join(TOP, "build"))
    binary = os.path.join(build, "src", "claude-gauge")
    if not os.path.exists(binary):
        raise SystemExit(f"{binary} not found: build first (meson setup build && ninja -C build)")

    if not os.environ.get("DISPLAY"):
        nest_under_display()

    api = FakeApi(usage_payload())
    work = tempfile.mkdtemp(prefix="gauge-bench-")
    try:
        env = make_home(work, build, api.url, {"run-in-background": "true"},
                        ["gauge-application"])
        if history is not None:
            # Claude Code's folder: the history's transcripts, and the credentials make_home wrote.
            config = os.path.join(work, "claude")
            mirror_history(os.path.join(history, "projects"), os.path.join(config, "projects"))
            shutil.copy(os.path.join(env["HOME"], ".claude", ".credentials.json"), config)
            env["CLAUDE_CONFIG_DIR"] = config
            subprocess.check_call([binary, "--report=daily"], env=env, stdout=subprocess.DEVNULL)

        # Our app: launch to first frame, memory open, memory closed.
        t0 = time.monotonic()
        app = subprocess.Popen([binary], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
        first_frame = (wait_for_line(app, "First frame") - t0) * 1000
        drain(app)
        time.sleep(3)
        rss_open = rss_kib(app.pid)
        subprocess.check_call(["gdbus", "call", "--session", "--dest", APP_ID,
                               "--object-path", "/" + APP_ID.replace(".", "/"),
                               "--method", "org.gtk.Actions.Activate", "toggle-window", "[]", "{}"],
                              env=env, stdout=subprocess.DEVNULL)
        time.sleep(3)
        alive = app.poll() is None
        rss_closed = rss_kib(app.pid) if alive else 0
        anon_closed, file_closed = rss_split_kib(app.pid) if alive else (0, 0)

        # --status from the reading the app just stored, while the app runs.
        status_ms = median_ms([binary, "--status"], env)
        version_ms = median_ms([binary, "--version"], env)
        requests = api.requests
        app.terminate()
        app.wait(timeout=10)

        # The peer: an empty libadwaita window, same display, same renderer choice.
        peer = build_peer(work)
        peer_env = dict(env, GSK_RENDERER="cairo", GDK_DEBUG="gl-disable")
        t0 = time.monotonic()
        peer_proc = subprocess.Popen([peer], env=peer_env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        peer_first_frame = (wait_for_line(peer_proc, "peer: first frame") - t0) * 1000
        drain(peer_proc)
        time.sleep(3)
        peer_rss = rss_kib(peer_proc.pid)
        peer_proc.terminate()
        peer_proc.wait(timeout=10)
    finally:
        api.close()
        shutil.rmtree(work, ignore_errors=True)

    def mb(kib):
        return kib / 1024

    print(f"{'':40} {'claude-gauge':>14} {'peer':>14} {'ratio':>7}")
    print(f"{'launch to first frame (ms)':40} {first_frame:14.0f} {peer_first_frame:14.0f} "
          f"{first_frame / peer_first_frame:7.2f}")
    print(f"{'resident memory, window open (MB)':40} {mb(rss_open):14.1f} {mb(peer_rss):14.1f} "
          f"{rss_open / peer_rss:7.2f}")
    if alive:
        print(f"{'resident memory, window closed (MB)':40} {mb(rss_closed):14.1f} {'':>14} {'':>7}"
              f"   goal <= 30 MB: {'met' if mb(rss_closed) <= 30 else 'MISSED'}")
        print(f"{'  of which anonymous / file-backed (MB)':40} "
              f"{mb(anon_closed):6.1f} / {mb(file_closed):5.1f}   (file pages: shared libraries, fonts)")
    else:
        print("the app quit when its window closed (run-in-background was not honoured)")
    print(f"{'--status from a stored reading (ms)':40} {status_ms:14.1f} {version_ms:14.1f} "
          f"{status_ms / version_ms:7.2f}   goal <= 30 ms: {'met' if status_ms <= 30 else 'MISSED'}")
    print(f"(peer: an empty libadwaita window; for --status, `claude-gauge --version`; "
          f"{requests} API request(s) made)")


if __name__ == "__main__":
    main()
