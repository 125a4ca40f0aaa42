def add(a, b):
    return a + b

def unbound(x):
    if x:
        y = 1
    return y

def cond(x, y):
    if x is None or y:
        return -x
    return not x

def unpack(t):
    a, b = t
    return b, a

def closure(x):
    def inner():
        return x
    return inner

def membership(k, d):
    if k in d and k is not d:
        return 1
    return 0
