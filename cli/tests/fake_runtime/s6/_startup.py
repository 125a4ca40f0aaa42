"""Stand-in for the s6 runtime's start-up hook (`s6._startup`) in s6c's CLI tests; imported by
an installed `s6.pth` or by our `sitecustomize`, whichever runs first (imports happen once).

When S6_PROFILE is set it writes, at exit, a valid (empty) profile in s6's container format,
encoded independently of the Rust code: magic, version, lengths, header CRC, postcard ABI stamp
and profile, whole-file CRC (zlib's CRC-32). The profile records what s6c passed: argv in `runs`,
S6_PROFILE_INTERVAL_US as the interval and S6_PROFILE_LIBS as `snapshots`.
"""
import atexit
import os
import struct
import sys
import zlib


def _varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _str(s):
    b = s.encode()
    return _varint(len(b)) + b


def _write(path, argv):
    stamp = (_str(sys.version) + _varint(sys.hexversion) + _varint(3495) + _str("fake-runtime"))
    runs = _varint(1) + _varint(len(argv)) + b"".join(_str(a) for a in argv)
    interval = int(os.environ.get("S6_PROFILE_INTERVAL_US", "0"))
    libs = int(os.environ.get("S6_PROFILE_LIBS", "0"))
    payload = runs + _varint(interval) + _varint(0) + _varint(libs) + _varint(0)
    total = 24 + len(stamp) + len(payload) + 4
    head = b"S6PF" + struct.pack("<HHQI", 3, 0, total, len(stamp))  # FORMAT_VERSION
    data = head + struct.pack("<I", zlib.crc32(head)) + stamp + payload
    data += struct.pack("<I", zlib.crc32(data))
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


if os.environ.get("S6_PROFILE"):
    _path = os.environ["S6_PROFILE"].replace("%p", str(os.getpid()))
    atexit.register(lambda: _write(_path, list(sys.argv)))
