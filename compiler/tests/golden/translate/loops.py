def total(n):
    s = 0
    for i in range(n):
        s += i
    return s

def whiles(n):
    while n > 0:
        n -= 1
    return n

def guarded(x):
    try:
        return 1 / x
    except ZeroDivisionError:
        return None

def ctx(m):
    with m as v:
        return v

def comp(xs):
    return [x * 2 for x in xs]
