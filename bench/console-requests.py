#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Console mode figures: Admin API requests per day at the default poll interval, and the time
from start to a full Console report with a warm cache.

Both come from tests/core/console/test-console, which drives the real GaugeConsoleMonitor against
a loopback Admin API: a simulated day of 288 polls on a fake clock (requests counted at the
server), and a restart over a database that already holds the month's finished claude_code days.

    bench/console-requests.py [BUILD_DIR]     (default: build; run `ninja -C BUILD_DIR` first)
"""

import os
import subprocess
import sys

build = sys.argv[1] if len(sys.argv) > 1 else "build"
src = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
exe = os.path.join(build, "tests", "core", "console", "test-console")
if not os.path.exists(exe):
    sys.exit(f"{exe} is missing: run `ninja -C {build}` first")

env = dict(os.environ,
           G_TEST_SRCDIR=os.path.join(src, "tests"),
           GSETTINGS_BACKEND="memory",
           GIO_USE_PROXY_RESOLVER="dummy")
runs = []
for _ in range(5):
    out = subprocess.run([exe, "-p", "/console/monitor/requests-per-day",
                          "-p", "/console/monitor/warm-cache"],
                         env=env, capture_output=True, text=True, check=True).stdout
    runs.append([line[len("# figure: "):] for line in out.splitlines()
                 if line.startswith("# figure: ")])

for line in runs[0]:
    if "ms" not in line:
        print(line)
times = sorted(float(r[-1].split(": ")[1].split(" ms")[0]) for r in runs)
print(f"start to a full Console report, warm cache: median {times[len(times) // 2]:.1f} ms "
      f"over {len(times)} runs (min {times[0]:.1f}, max {times[-1]:.1f}), loopback server")
