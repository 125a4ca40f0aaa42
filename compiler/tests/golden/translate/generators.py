def count(n):
    i = 0
    while i < n:
        yield i
        i += 1
    return i


def delegate(xs):
    got = yield from xs
    return [got, (yield len(xs))]
