def call_kw(f, x):
    return f(x, key=1)

def method(o):
    return o.m(1)

def glob():
    return len(glob)

def star(f, a, k):
    return f(*a, **k)

def fmt(x):
    return f"<{x!r:>10}>"
