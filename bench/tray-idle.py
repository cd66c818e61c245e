#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What Claude Gauge costs sitting in the tray all day, with no window.

    bench/tray-idle.py [BUILD_DIR] [--seconds N]     (default: build, 600 s)

Runs the built app against a loopback stand-in for the usage API, in a
throw-away HOME, under its own virtual display and session bus, with a
minimal StatusNotifierWatcher so the icon is really registered and read.
The window is never shown (--background when the app has it; otherwise it is
closed through app.toggle-window right after the first frame). Prints:

  * resident memory at the end of the idle period (goal: <= 30 MB),
  * CPU used over the idle period, as a percentage of one core (goal: <= 0.1 %),
  * D-Bus signals the app emitted while nothing changed (goal: 0),
  * time to render the tray icon at all five sizes (goal: <= 1 ms), from the
    app's own debug line.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gauge_bench import FakeApi, make_home, nest_under_display, rss_kib, usage_payload  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
APP_ID = "io.github.claudegauge.ClaudeGauge"

# A watcher that accepts the item and says a host is present, in a separate process.
WATCHER_C = r"""
#include <stdio.h>
#include <gio/gio.h>
static const char xml[] =
  "<node><interface name='org.kde.StatusNotifierWatcher'>"
  "<method name='RegisterStatusNotifierItem'><arg type='s' direction='in'/></method>"
  "<property name='IsStatusNotifierHostRegistered' type='b' access='read'/>"
  "</interface></node>";
static void call (GDBusConnection *c, const char *sender, const char *path, const char *iface,
                  const char *method, GVariant *params, GDBusMethodInvocation *inv, gpointer data)
{
  const char *service;
  g_variant_get (params, "(&s)", &service);
  g_print ("registered %s\n", service);
  g_dbus_method_invocation_return_value (inv, NULL);
}
static GVariant *prop (GDBusConnection *c, const char *sender, const char *path,
                       const char *iface, const char *name, GError **error, gpointer data)
{
  return g_variant_new_boolean (TRUE);
}
static const GDBusInterfaceVTable vtable = { call, prop, NULL };
int main (void)
{
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  GDBusNodeInfo *info = g_dbus_node_info_new_for_xml (xml, NULL);
  setvbuf (stdout, NULL, _IOLBF, 0);
  g_dbus_connection_register_object (bus, "/StatusNotifierWatcher", info->interfaces[0],
                                     &vtable, NULL, NULL, NULL);
  g_bus_own_name_on_connection (bus, "org.kde.StatusNotifierWatcher", 0, NULL, NULL, NULL, NULL);
  g_main_loop_run (g_main_loop_new (NULL, FALSE));
  return 0;
}
"""


def build_watcher(workdir):
    src = os.path.join(workdir, "watcher.c")
    exe = os.path.join(workdir, "watcher")
    with open(src, "w") as f:
        f.write(WATCHER_C)
    flags = subprocess.check_output(["pkg-config", "--cflags", "--libs", "gio-2.0"], text=True).split()
    subprocess.check_call(["cc", "-O2", "-o", exe, src] + flags)
    return exe


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


class Lines:
    """Collects a process's output lines in a thread."""

    def __init__(self, proc):
        self.lines = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, args=(proc,), daemon=True).start()

    def _read(self, proc):
        for line in proc.stdout:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()

    def wait_for(self, needle, timeout=30):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for line in self.lines:
                    if needle in line:
                        return line
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build", nargs="?", default=os.path.join(TOP, "build"))
    parser.add_argument("--seconds", type=float, default=600)
    args = parser.parse_args()

    build = os.path.abspath(args.build)
    binary = os.path.join(build, "src", "claude-gauge")
    if not os.path.exists(binary):
        raise SystemExit(f"{binary} not found: build first")

    nest_under_display()

    # The same reading all along: nothing changes.
    api = FakeApi(usage_payload(extra_windows=False))
    procs = []
    work = tempfile.mkdtemp(prefix="gauge-tray-bench-")
    try:
        # Polled at the floor (60 s) so the idle period holds several polls that bring nothing new.
        env = make_home(work, build, api.url,
                        {"run-in-background": "true", "poll-interval": "60"},
                        ["gauge-application", "gauge-tray"])

        watcher = subprocess.Popen([build_watcher(work)], env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        procs.append(watcher)
        watcher_lines = Lines(watcher)
        time.sleep(0.5)

        help_text = subprocess.run([binary, "--help-all"], env=env, capture_output=True,
                                   text=True).stdout
        argv = [binary] + (["--background"] if "--background" in help_text else [])
        app = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
        procs.append(app)
        lines = Lines(app)

        registered = watcher_lines.wait_for("registered", timeout=30)
        if registered is None:
            raise SystemExit("the app never registered a tray icon (is GaugeTray wired in?)")
        unique_name = registered.split()[-1]

        if len(argv) == 1:
            lines.wait_for("First frame", timeout=30)
            subprocess.check_call(["gdbus", "call", "--session", "--dest", APP_ID,
                                   "--object-path", "/" + APP_ID.replace(".", "/"),
                                   "--method", "org.gtk.Actions.Activate", "toggle-window",
                                   "[]", "{}"], env=env, stdout=subprocess.DEVNULL)

        # Let the first reading, the window's teardown and malloc_trim settle.
        time.sleep(5)
        if app.poll() is not None:
            raise SystemExit("the app quit with no window")

        monitor = subprocess.Popen(["dbus-monitor", "--session",
                                    f"type='signal',sender='{unique_name}'"],
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   text=True)
        procs.append(monitor)
        monitor_lines = Lines(monitor)
        time.sleep(1)
        requests_before = api.requests
        cpu_before = cpu_seconds(app.pid)
        t0 = time.monotonic()
        time.sleep(args.seconds)
        elapsed = time.monotonic() - t0
        cpu = cpu_seconds(app.pid) - cpu_before
        rss = rss_kib(app.pid)
        time.sleep(0.5)
        signals = [l for l in list(monitor_lines.lines)
                   if l.startswith("signal ") and f"sender={unique_name} " in l]
        polls = api.requests - requests_before

        renders = [float(m.group(1)) for l in list(lines.lines)
                   for m in [re.search(r"Rendered the tray icon .* in (\d+) ", l)] if m]
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        api.close()
        shutil.rmtree(work, ignore_errors=True)

    cpu_pct = 100 * cpu / elapsed
    print(f"tray-only idle for {elapsed:.0f} s ({polls} poll(s) of the API, each with the same reading)")
    print(f"{'resident memory (MB)':44} {rss / 1024:10.1f}   goal <= 30 MB: "
          f"{'met' if rss / 1024 <= 30 else 'MISSED'}")
    print(f"{'CPU (% of one core)':44} {cpu_pct:10.3f}   goal <= 0.1 %: "
          f"{'met' if cpu_pct <= 0.1 else 'MISSED'}   ({cpu * 1000:.0f} ms CPU)")
    print(f"{'D-Bus signals emitted while nothing changed':44} {len(signals):10d}   goal 0: "
          f"{'met' if not signals else 'MISSED'}")
    for s in signals[:10]:
        print("   ", s)
    if renders:
        print(f"{'icon render, all 5 sizes (ms, in the app)':44} {min(renders) / 1000:10.3f}   "
              f"goal <= 1 ms: {'met' if min(renders) <= 1000 else 'MISSED'}   "
              f"(renders: {len(renders)}, first {renders[0] / 1000:.3f} ms)")
    else:
        print("icon render: no 'Rendered the tray icon' debug line seen")


if __name__ == "__main__":
    main()
