#!/usr/bin/env python3
"""Zips a folder so that the same files always give the same bytes: sorted entries, fixed timestamps and
permissions, no extra fields. `python3 tools/zip_reproducible.py DIR OUT.zip`"""
import os, sys, zipfile

src, out = sys.argv[1], sys.argv[2]
paths = []
for base, dirs, files in os.walk(src):
    dirs.sort()
    paths += [os.path.join(base, f) for f in files]
tmp = out + ".tmp"
with zipfile.ZipFile(tmp, "w") as z:
    for p in sorted(paths, key=lambda p: os.path.relpath(p, src)):
        info = zipfile.ZipInfo(os.path.relpath(p, src).replace(os.sep, "/"), date_time=(1980, 1, 1, 0, 0, 0))
        info.external_attr = 0o644 << 16
        info.create_system = 3
        info.compress_type = zipfile.ZIP_DEFLATED
        with open(p, "rb") as f:
            z.writestr(info, f.read(), compresslevel=9)
os.replace(tmp, out)
