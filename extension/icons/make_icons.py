#!/usr/bin/env python3
"""Draws the toolbar icons (a white shield on a blue rounded square) without any image library.

Run once after changing the design: `python3 extension/icons/make_icons.py`. The PNGs are committed.
"""
import math, os, struct, zlib

BLUE = (11, 87, 208)
WHITE = (255, 255, 255)


def coverage(x, y):
    """0..1 colour at a point of the unit square: 0 = transparent, 1 = blue, 2 = white."""
    r = 0.2  # rounded square corner radius
    cx, cy = min(max(x, r), 1 - r), min(max(y, r), 1 - r)
    if (x - cx) ** 2 + (y - cy) ** 2 > r * r:
        return 0
    dx = abs(x - 0.5)
    if 0.18 <= y <= 0.55:
        inside = dx <= 0.30 - (0.04 if y < 0.24 and dx > 0.26 else 0)
    elif 0.55 < y <= 0.86:
        t = (y - 0.55) / 0.31
        inside = dx <= 0.30 * math.sqrt(max(0.0, 1 - t * t))
    else:
        inside = False
    # A blue check mark inside the shield.
    if inside:
        def near(ax, ay, bx, by, w):
            vx, vy = bx - ax, by - ay
            t = max(0, min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)))
            return (x - ax - t * vx) ** 2 + (y - ay - t * vy) ** 2 <= w * w
        if near(0.36, 0.50, 0.46, 0.61, 0.045) or near(0.46, 0.61, 0.65, 0.38, 0.045):
            return 1
        return 2
    return 1


def png(size, path):
    ss = 4  # supersampling for smooth edges at 16 px
    rows = []
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(ss):
                for sx in range(ss):
                    c = coverage((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size)
                    if c:
                        rgb = BLUE if c == 1 else WHITE
                        acc = [acc[0] + rgb[0], acc[1] + rgb[1], acc[2] + rgb[2], acc[3] + 1]
            n = acc[3]
            row += bytes([acc[0] // n, acc[1] // n, acc[2] // n, 255 * n // (ss * ss)] if n else [0, 0, 0, 0])
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
                + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    for s in (16, 32, 48, 128):
        png(s, os.path.join(here, f"{s}.png"))
