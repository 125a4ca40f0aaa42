"""pyaes (pure-Python AES, table-driven integer code): encrypt and decrypt a generated message
in CTR mode and in CBC mode through the streaming Encrypter/Decrypter with PKCS#7 padding,
with 128- and 256-bit keys; checks the round trips and digests the ciphertexts.

    python lib_pyaes.py [KBYTES]
"""
import hashlib
import sys

import pyaes

SIZE = 4  # kilobytes of plaintext per mode and key


def message(n):
    words = b"the quick brown fox jumps over the lazy dog 0123456789 "
    return (words * (n // len(words) + 1))[:n]


def bench_pyaes(kbytes):
    plain = message(kbytes * 1024)
    digests = []
    for key in (bytes(range(16)), bytes(range(100, 132))):
        ctr = pyaes.AESModeOfOperationCTR(key, counter=pyaes.Counter(initial_value=42))
        cipher = ctr.encrypt(plain)
        back = pyaes.AESModeOfOperationCTR(key, counter=pyaes.Counter(initial_value=42)).decrypt(cipher)
        if back != plain:
            raise AssertionError("CTR round trip failed")
        digests.append(("ctr", len(key), hashlib.sha256(cipher).hexdigest()[:16]))

        iv = bytes(range(16, 32))
        enc = pyaes.Encrypter(pyaes.AESModeOfOperationCBC(key, iv=iv))
        cipher = b"".join(enc.feed(plain[i:i + 1000]) for i in range(0, len(plain), 1000)) + enc.feed()
        dec = pyaes.Decrypter(pyaes.AESModeOfOperationCBC(key, iv=iv))
        back = dec.feed(cipher) + dec.feed()
        if back != plain:
            raise AssertionError("CBC round trip failed")
        digests.append(("cbc", len(key), len(cipher), hashlib.sha256(cipher).hexdigest()[:16]))
    return digests


def main():
    kbytes = int(sys.argv[1]) if len(sys.argv) > 1 else SIZE
    for row in bench_pyaes(kbytes):
        print(*row)


if __name__ == "__main__":
    main()
