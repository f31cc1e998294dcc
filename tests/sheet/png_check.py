#!/usr/bin/env python3
"""png_check.py FILE.png WIDTH HEIGHT [OTHER.png]: reads a PNG the way any
viewer must, with nothing but zlib (no imaging library on the test
machine): every chunk's CRC, the header, the pixels unfiltered (all five
filter types), the pHYs resolution. Exits 1, saying why, unless it is an
8-bit RGB image of WIDTH x HEIGHT at 144 dpi with ink on it (a blank page
would pass every other check). With OTHER.png: also the same pixels as it
(a PNG written by another writer)."""
import struct
import sys
import zlib


def read(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("%s: not a PNG (signature)" % path)
    pos, idat, head, phys = 8, b"", None, None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        crc = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0]
        if zlib.crc32(kind + body) != crc:
            sys.exit("%s: chunk %s: bad CRC" % (path, kind.decode()))
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"pHYs":
            phys = struct.unpack(">IIB", body)
        elif kind == b"IEND":
            break
        pos += 12 + n
    w, h, depth, colour, _, _, interlace = head
    if depth != 8 or colour not in (2, 6) or interlace:
        sys.exit("%s: depth %d, colour type %d, interlace %d: not plain 8-bit RGB" % (path, depth, colour, interlace))
    bpp = 3 if colour == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            elif f != 0:
                sys.exit("%s: row %d: filter type %d" % (path, y, f))
        rows.append(bytes(line) if bpp == 3 else bytes(v for j, v in enumerate(line) if j % 4 != 3))
        prev = line
    return w, h, phys, rows


def main():
    path, want_w, want_h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    w, h, phys, rows = read(path)
    if (w, h) != (want_w, want_h):
        sys.exit("%s: %dx%d, expected %dx%d" % (path, w, h, want_w, want_h))
    if not phys or phys[2] != 1 or round(phys[0] * 0.0254) != 144 or phys[0] != phys[1]:
        sys.exit("%s: resolution %s, expected 144 dpi (pHYs)" % (path, phys))
    ink = sum(1 for row in rows for v in row[::3] if v < 128)
    if ink < w * h // 200:
        sys.exit("%s: %d dark pixels of %d: a blank page" % (path, ink, w * h))
    if len(sys.argv) > 4:
        _, _, _, other = read(sys.argv[4])
        differ = sum(1 for a, b in zip(rows, other) if a != b)
        if len(other) != h or differ:
            sys.exit("%s: %d of %d rows differ from %s" % (path, differ, h, sys.argv[4]))
    print("%s: %dx%d, 144 dpi, %d dark pixels%s" % (path, w, h, ink, ", same pixels as " + sys.argv[4] if len(sys.argv) > 4 else ""))


main()
