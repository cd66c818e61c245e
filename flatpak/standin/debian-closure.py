#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Lists the files of some installed Debian packages and of everything they depend on.

Usage: debian-closure.py PACKAGE... > FILES

Prints one path a line, relative to /, for `tar --no-recursion -T`: what `dpkg -L` lists for
every installed package in the dependency closure (Depends and Pre-Depends; of alternatives the
first one installed; a virtual package through an installed provider). Paths under /bin, /sbin
and /lib are printed under usr/ (Debian 12 merges /usr), so the list is the tree of /usr and /etc
that a Flatpak runtime's files/ holds. Fails when a named package is not installed.
"""

import re
import subprocess
import sys


def installed_packages():
    out = subprocess.run(
        ["dpkg-query", "-W", "-f",
         "${Package}\t${db:Status-Abbrev}\t${Depends}, ${Pre-Depends}\t${Provides}\n"],
        check=True, capture_output=True, text=True).stdout
    depends, providers = {}, {}
    for line in out.splitlines():
        name, status, deps, provides = line.split("\t")
        if not status.startswith("ii"):
            continue
        depends[name] = deps
        for provided in provides.split(","):
            provided = provided.strip().split(" ")[0]
            if provided:
                providers.setdefault(provided, []).append(name)
    return depends, providers


def resolve(alternatives, depends, providers):
    for alternative in alternatives.split("|"):
        name = re.sub(r"[ (].*", "", alternative.strip()).split(":")[0]
        if name in depends:
            return name
        for provider in providers.get(name, []):
            return provider
    return None


def closure(roots, depends, providers):
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for group in depends[name].split(","):
            if group.strip():
                found = resolve(group, depends, providers)
                if found is not None:
                    todo.append(found)
    return seen


def main():
    depends, providers = installed_packages()
    missing = [name for name in sys.argv[1:] if name not in depends]
    if missing:
        sys.exit("not installed: " + " ".join(missing))
    packages = closure(sys.argv[1:], depends, providers)
    listed = subprocess.run(["dpkg", "-L"] + sorted(packages), check=True,
                            capture_output=True, text=True).stdout
    paths = set()
    for path in listed.splitlines():
        if re.match(r"^/(bin|sbin|lib|lib32|lib64|libx32)(/|$)", path):
            path = "/usr" + path
        if path.startswith(("/usr/", "/etc/")):
            paths.add(path[1:])
    print("\n".join(sorted(paths)))
    print(f"{len(packages)} packages, {len(paths)} paths", file=sys.stderr)


if __name__ == "__main__":
    main()
