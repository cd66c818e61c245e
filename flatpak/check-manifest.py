#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifest without building it: the modules, their pinned sources, and
finish-args that Flathub's linter accepts and that give the app what it reads and no more.

Usage: check-manifest.py MANIFEST.json
Prints each problem on a line and exits 1 if there is any.
"""

import json
import re
import sys

APP_ID = "io.github.claudegauge.ClaudeGauge"

# What the app reads from Claude Code, read-only.
READ_ONLY = {"~/.claude", "~/.claude.json", "~/.config/claude"}


def check_simdjson(module, problems):
    if module.get("buildsystem") not in ("cmake", "cmake-ninja"):
        problems.append("simdjson: build it with cmake-ninja")
    opts = module.get("config-opts", [])
    if "-DBUILD_SHARED_LIBS=OFF" not in opts:
        problems.append("simdjson: build it static (-DBUILD_SHARED_LIBS=OFF)")
    if "*" not in module.get("cleanup", []):
        problems.append("simdjson: clean up everything it installs (\"cleanup\": [\"*\"])")
    sources = module.get("sources", [])
    if len(sources) != 1:
        problems.append("simdjson: one source")
        return
    source = sources[0]
    if source.get("type") == "git":
        if not source.get("url", "").startswith("https://"):
            problems.append("simdjson: a git source needs an https:// url")
        if "branch" in source or not source.get("tag"):
            problems.append("simdjson: pin a tag, not a branch")
        if not re.fullmatch(r"[0-9a-f]{40}", source.get("commit", "")):
            problems.append("simdjson: pin the tag's commit (40 hex digits)")
    elif source.get("type") == "archive":
        if not re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", "")):
            problems.append("simdjson: an archive needs its sha256")
    else:
        problems.append("simdjson: a git (tag + commit) or archive (sha256) source")


def check_finish_args(args, problems):
    filesystems = [a.split("=", 1)[1] for a in args if a.startswith("--filesystem=")]
    talk_names = [a.split("=", 1)[1] for a in args if a.startswith("--talk-name=")]
    sockets = {a.split("=", 1)[1] for a in args if a.startswith("--socket=")}

    for fs in filesystems:
        path, _, mode = fs.partition(":")
        if path not in READ_ONLY:
            problems.append(f"--filesystem={fs}: the app needs no such access")
        elif mode != "ro":
            problems.append(f"--filesystem={fs}: Claude Code's files are read-only (:ro)")
    for path in sorted(READ_ONLY - {fs.partition(":")[0] for fs in filesystems}):
        problems.append(f"--filesystem={path}:ro is missing")

    # The tray: register with the watcher by unique name (no --own-name); notifications,
    # the keyring and autostart go through portals, which need no permission.
    if talk_names != ["org.kde.StatusNotifierWatcher"]:
        problems.append(f"--talk-name: only org.kde.StatusNotifierWatcher, not {talk_names}")
    for arg in args:
        if arg.startswith(("--own-name=", "--system-talk-name=", "--socket=session-bus",
                           "--socket=system-bus", "--device=all", "--filesystem=home",
                           "--filesystem=host")):
            problems.append(f"{arg}: not needed")

    if "--share=network" not in args:
        problems.append("--share=network is missing (the usage endpoint)")
    if sockets != {"wayland", "fallback-x11"}:
        problems.append(f"--socket: wayland and fallback-x11, not {sorted(sockets)}")
    if "fallback-x11" in sockets and "--share=ipc" not in args:
        problems.append("--socket=fallback-x11 needs --share=ipc")
    if len(set(args)) != len(args):
        problems.append("finish-args has duplicates")


def check(manifest):
    problems = []
    for key, want in (("app-id", APP_ID), ("runtime", "org.gnome.Platform"),
                      ("sdk", "org.gnome.Sdk"), ("command", "claude-gauge")):
        if manifest.get(key) != want:
            problems.append(f"{key}: {want!r}, not {manifest.get(key)!r}")

    modules = manifest.get("modules", [])
    names = [m.get("name") if isinstance(m, dict) else m for m in modules]
    if names != ["simdjson", "claude-gauge"]:
        problems.append(f"modules: simdjson, then claude-gauge; not {names}")
    else:
        check_simdjson(modules[0], problems)
        app = modules[1]
        if app.get("buildsystem") != "meson" or "-Dtests=false" not in app.get("config-opts", []):
            problems.append("claude-gauge: meson with -Dtests=false")

    check_finish_args(manifest.get("finish-args", []), problems)
    return problems


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        manifest = json.load(f)
    problems = check(manifest)
    for problem in problems:
        print(problem)
    if problems:
        sys.exit(1)
    print("manifest ok")


if __name__ == "__main__":
    main()
