def grow(n):
    acc = 1
    for i in range(1, n):
        acc = acc * i + (i << 40) - (acc // 7) % 13
    return acc


def mixed(a, b):
    return (a + b, a - b, a * b, a // b, a % b, -a, ~b, a ** 3, a >> 3, a << 70, a & b, a | b, a ^ b)


total = 0
for k in range(300):
    total += grow(40) % 1000003
    total ^= mixed(2**62 - k, 3 + k)[2] & 0xFFFF
print(total)
print(mixed(-(2**65), 7))
print(mixed(9, -4))
try:
    mixed(1, 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
