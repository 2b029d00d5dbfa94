#!/usr/bin/env python3
"""Zips files so that the same files always give the same bytes: sorted entries, fixed timestamps and
permissions, no extra fields.

    python3 tools/zip_reproducible.py DIR OUT.zip                  # everything under DIR
    python3 tools/zip_reproducible.py --list LIST BASE OUT.zip      # the paths in LIST, relative to BASE
"""
import os, sys, zipfile


def walk(src):
    paths = []
    for base, dirs, files in os.walk(src):
        dirs.sort()
        paths += [os.path.relpath(os.path.join(base, f), src) for f in files]
    return paths


def main(argv):
    if argv[0] == "--list":
        listing, base, out = argv[1], argv[2], argv[3]
        with open(listing, encoding="utf-8") as f:
            names = [line.rstrip("\n") for line in f if line.strip()]
    else:
        base, out = argv[0], argv[1]
        names = walk(base)
    tmp = out + ".tmp"
    with zipfile.ZipFile(tmp, "w") as z:
        for name in sorted(set(names)):
            path = os.path.join(base, name)
            if not os.path.isfile(path):
                continue
            info = zipfile.ZipInfo(name.replace(os.sep, "/"), date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if os.access(path, os.X_OK) else 0o644) << 16
            info.create_system = 3
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as f:
                z.writestr(info, f.read(), compresslevel=9)
    os.replace(tmp, out)


if __name__ == "__main__":
    main(sys.argv[1:])
