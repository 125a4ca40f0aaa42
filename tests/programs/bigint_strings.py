def digits_sum(n):
    return sum(int(c) for c in str(n))


def factorial(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


def collatz_len(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


acc = 0
for i in range(1, 400):
    acc += collatz_len(i)
print(acc, digits_sum(factorial(300)), factorial(25), hex(2**100 - 1), int("123456789" * 4) % 97)
print((10**30) // 7, -(10**30) // 7, (10**30) % -7, pow(2, 200, 10**9 + 7), (2**64).bit_length())
