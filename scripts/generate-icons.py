#!/usr/bin/env python3
"""Draws the Teams app icons into appPackage/ with the Python standard library only.

color.png   192x192, full colour: an indigo tile with a white speech bubble holding three
            wavy "streaming" text lines and a cursor dot.
outline.png 32x32, white on transparent: the same bubble as a 2 px outline with two lines.

Shapes are signed-distance functions sampled 4x4 per pixel, so edges are anti-aliased.
Run from the repository root: python3 scripts/generate-icons.py
"""
import math
import os
import struct
import zlib

SAMPLES = 4  # supersampling per axis


def png_bytes(width, height, rows, colour_type):
    """Encodes rows of raw pixel bytes (no filter byte) as a PNG (8-bit, given colour type)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def sd_round_rect(px, py, x0, y0, x1, y1, r):
    """Signed distance to a rounded rectangle (negative inside)."""
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hx, hy = (x1 - x0) / 2 - r, (y1 - y0) / 2 - r
    qx, qy = abs(px - cx) - hx, abs(py - cy) - hy
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    inside = min(max(qx, qy), 0.0)
    return outside + inside - r


def seg_dist(px, py, ax, ay, bx, by):
    """Distance from a point to a line segment."""
    dx, dy = bx - ax, by - ay
    t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)
    t = max(0.0, min(1.0, t))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def sd_convex_polygon(px, py, pts):
    """Signed distance to a convex polygon given clockwise or anticlockwise."""
    d = min(seg_dist(px, py, *pts[i], *pts[(i + 1) % len(pts)]) for i in range(len(pts)))
    sign = None
    inside = True
    for i in range(len(pts)):
        ax, ay = pts[i]
        bx, by = pts[(i + 1) % len(pts)]
        cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax)
        s = cross > 0
        if sign is None:
            sign = s
        elif s != sign:
            inside = False
            break
    return -d if inside else d


def wavy_line(x0, x1, y, amplitude, wavelength, steps=48):
    """A sine-shaped polyline from x0 to x1 around height y."""
    return [
        (x0 + (x1 - x0) * i / steps, y + amplitude * math.sin(2 * math.pi * (x0 + (x1 - x0) * i / steps) / wavelength))
        for i in range(steps + 1)
    ]


def polyline_dist(px, py, pts):
    return min(seg_dist(px, py, *pts[i], *pts[i + 1]) for i in range(len(pts) - 1))


def coverage(size, inside):
    """Fraction of each pixel's sub-samples for which inside(x, y) is true."""
    grid = []
    for y in range(size):
        row = []
        for x in range(size):
            hits = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    if inside(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES):
                        hits += 1
            row.append(hits / (SAMPLES * SAMPLES))
        grid.append(row)
    return grid


def mix(a, b, t):
    return tuple(round(a[i] + (b[i] - a[i]) * t) for i in range(3))


def colour_icon(size=192):
    top, bottom = (92, 110, 240), (48, 62, 176)
    line_colour = (64, 84, 214)
    scale = size / 192
    # The symbol is drawn on a 192 grid around (96, 101) and shrunk so that it stays near the
    # 96x96 centre area that Teams guidance reserves for the symbol (the rest is padding).
    symbol_scale = 0.8

    def to_design(x, y):
        return 96 + (x / scale - 96) / symbol_scale, 101 + (y / scale - 96) / symbol_scale

    def bubble(x, y):
        x, y = to_design(x, y)
        body = sd_round_rect(x, y, 34, 40, 158, 134, 26)
        tail = sd_convex_polygon(x, y, [(58, 126), (50, 162), (94, 126)])
        return min(body, tail) <= 0

    lines = [
        (wavy_line(60, 132, 68, 3.2, 36), 4.5),
        (wavy_line(60, 120, 88, 3.2, 36), 4.5),
        (wavy_line(60, 96, 108, 3.2, 36), 4.5),
    ]
    dot = (116, 108, 5.5)

    def text(x, y):
        x, y = to_design(x, y)
        # Cheap rejection outside the text area keeps the script fast.
        if not (50 <= x <= 145 and 55 <= y <= 120):
            return False
        if math.hypot(x - dot[0], y - dot[1]) <= dot[2]:
            return True
        return any(polyline_dist(x, y, pts) <= half for pts, half in lines)

    bubble_cov = coverage(size, bubble)
    text_cov = coverage(size, text)
    rows = []
    for y in range(size):
        bg = mix(top, bottom, y / (size - 1))
        row = []
        for x in range(size):
            pixel = mix(bg, (255, 255, 255), bubble_cov[y][x])
            pixel = mix(pixel, line_colour, text_cov[y][x])
            row.extend(pixel)
        rows.append(row)
    return png_bytes(size, size, rows, 2)


def outline_icon(size=32):
    stroke = 2.0

    def shape(x, y):
        body = sd_round_rect(x, y, 3, 5, 29, 23, 5)
        tail = sd_convex_polygon(x, y, [(8, 21), (7, 28.5), (14.5, 21)])
        d = min(body, tail)
        on_ring = -stroke <= d <= 0
        line1 = seg_dist(x, y, 9, 11, 23, 11) <= 1.0
        line2 = seg_dist(x, y, 9, 16, 18, 16) <= 1.0
        return on_ring or line1 or line2

    cov = coverage(size, shape)
    rows = []
    for y in range(size):
        row = []
        for x in range(size):
            row.extend((255, 255, 255, round(255 * cov[y][x])))
        rows.append(row)
    return png_bytes(size, size, rows, 6)


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "appPackage")
    with open(os.path.join(root, "color.png"), "wb") as f:
        f.write(colour_icon())
    with open(os.path.join(root, "outline.png"), "wb") as f:
        f.write(outline_icon())


if __name__ == "__main__":
    main()
