"""Int arithmetic with constants too wide for machine ints (64-bit generators and hashes):
they run generically; the same sites with small values give the same results; negative and
mixed-float wide constants; comparisons with 2**64; a product of a wide factor fed to `+`,
`&`, `>>` and `%`; and a narrow mask whose result is used as a machine int again."""


class Lcg:
    def __init__(self, seed):
        self.state = seed

    def next(self, bound):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % 2 ** 64
        return (self.state >> 33) % bound


def fnv1a(data):
    h = 0xCBF29CE484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def mixed(x):
    a = x * 4294967296 + 7          # a factor of 2^32
    b = (x - 2 ** 62) * -3          # a negative product with a constant past two digits
    c = x * 1.0 + 2 ** 60           # converted to a double: exact only up to 2^53
    d = x < 2 ** 64 and x > -(2 ** 63)
    e = (x & 0xFFFFFFFF) + 1        # narrow mask: a machine int again
    f = -(x * 18446744073709551557)
    return a, b, c, d, e, f


def crunch(n):
    total = 0
    for i in range(n):
        t = mixed(i)
        total += t[0] % 1000 + t[1] % 97 + t[4] + (t[5] & 0xFF)
        total += 1 if t[3] else 0
    return total


r = Lcg(2024)
print([r.next(1000) for _ in range(2000)][-10:])
print(sum(r.next(7) for _ in range(3000)))
print(hex(fnv1a(bytes(range(256)) * 20)))
print(crunch(3000))
print(mixed(5), mixed(-5), mixed(2 ** 70))
small = Lcg(1)
small.state = 3
print(small.next(10), small.state)
