"""Subscripts and number operators at sites whose feedback is not the whole story: a list site
that also sees other sequences (bytes, tuples, a list subclass with its own __getitem__), an
IndexError the caller catches, stores out of range, and operators whose sites see both the int
and the float form (vector components that are sometimes ints), with bools and big ints."""
import traceback


class Loud(list):
    def __getitem__(self, i):
        return ("loud", list.__getitem__(self, i))

    def __setitem__(self, i, v):
        list.__setitem__(self, i, ("set", v))


def word(w):
    return (w[0] << 24) | (w[1] << 16) | (w[2] << 8) | w[-1]


def first_missing(seq):
    n = 0
    try:
        while True:
            seq[n]
            n += 1
    except IndexError as e:
        return n, str(e)


def put(seq, i, v):
    seq[i] = v
    return seq[i]


class V:
    def __init__(self, x, y, z):
        self.x, self.y, self.z = x, y, z

    def dot(self, o):
        return self.x * o.x + self.y * o.y + self.z * o.z

    def sub(self, o):
        return V(self.x - o.x, self.y - o.y, self.z - o.z)


def vectors(n):
    acc = []
    for k in range(n):
        a = V(k, 1.5, k % 3)
        b = V(2, k * 0.25, 1) if k % 4 else V(2, 3, 4)
        c = a.sub(b)
        acc.append((a.dot(b), c.dot(c), c.x, c.z))
    return acc


def main():
    lists = [[i, i + 1, i + 2, i + 3] for i in range(50)]
    total = 0
    for r in range(300):
        for w in lists:
            total += word(w)
        if r % 7 == 0:
            total += word(b"\x01\x02\x03\x04") + word((5, 6, 7, 8))
    print("words", total)
    print("loud", Loud([1, 2, 3, 4])[0], Loud([9])[-1])
    try:
        word(Loud([1, 2, 3, 4]))
    except TypeError as e:
        print("TypeError:", e)
    for r in range(200):
        got = first_missing(list(range(r % 9)))
    print("missing", got, first_missing(()), first_missing("ab"))
    print("neg", lists[3][-1], lists[3][-4], (1, 2, 3)[-3])
    try:
        lists[3][-5]
    except IndexError as e:
        print("IndexError:", e)
    try:
        (1, 2)[7]
    except IndexError as e:
        print("IndexError:", e)
    for r in range(300):
        last = put([0, 0, 0], r % 3, r)
    print("put", last, put(Loud([0, 1]), 1, "x"))
    try:
        put([0, 0], 2, "far")
    except IndexError:
        print(traceback.format_exc().replace(__file__, "FILE"))
    try:
        put((0, 0), 0, "tuple")
    except TypeError as e:
        print("TypeError:", e)
    for _ in range(30):
        acc = vectors(40)
    print("vectors", acc[:5], acc[-1], sum(t[0] for t in acc))
    big = V(2 ** 40, 3, True)
    print("big", big.dot(V(2 ** 40, -7, 2.5)), big.dot(big), big.sub(V(1, True, False)).x)
    print("bools", V(True, False, True).dot(V(True, True, 3)), V(1.0, 2, True).dot(V(True, 0.5, 2)))


main()
