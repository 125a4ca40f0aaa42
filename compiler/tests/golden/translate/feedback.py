def count_below(n):
    i = 0
    while i < n:
        i = i + 1
    return i

def scale_float(x, y):
    if x > y:
        return x * y - 1.5
    return y

def mixed(a, b):
    return a ** b + a * b
