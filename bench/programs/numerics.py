"""Numeric loops on lists of floats: least-squares polynomial fitting (normal equations solved by
Gaussian elimination with partial pivoting), a Runge-Kutta integration of a damped pendulum,
Simpson's rule, running statistics and a 1-D heat-diffusion stencil.

Style: plain lists of floats, index loops and zip, helper functions, math functions, no numpy.

    python numerics.py [POINTS]
"""
import math
import sys

SIZE = 1000  # sample points (scales every part)


def solve(matrix, rhs):
    """Gaussian elimination with partial pivoting on copies of the inputs."""
    n = len(rhs)
    a = [row[:] + [rhs[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        if abs(a[pivot][col]) < 1e-14:
            raise ValueError("singular matrix")
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            if factor:
                row, prow = a[r], a[col]
                for c in range(col, n + 1):
                    row[c] -= factor * prow[c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        s = a[r][n]
        for c in range(r + 1, n):
            s -= a[r][c] * x[c]
        x[r] = s / a[r][r]
    return x


def polyfit(xs, ys, degree):
    m = degree + 1
    powers = [[x ** k for k in range(2 * degree + 1)] for x in xs]
    ata = [[sum(p[i + j] for p in powers) for j in range(m)] for i in range(m)]
    aty = [sum(p[i] * y for p, y in zip(powers, ys)) for i in range(m)]
    return solve(ata, aty)


def polyval(coeffs, x):
    result = 0.0
    for c in reversed(coeffs):
        result = result * x + c
    return result


def pendulum(theta0, steps, dt=0.01, damping=0.15, g_over_l=9.81):
    def deriv(theta, omega):
        return omega, -damping * omega - g_over_l * math.sin(theta)

    theta, omega = theta0, 0.0
    energy = []
    for _ in range(steps):
        k1t, k1w = deriv(theta, omega)
        k2t, k2w = deriv(theta + 0.5 * dt * k1t, omega + 0.5 * dt * k1w)
        k3t, k3w = deriv(theta + 0.5 * dt * k2t, omega + 0.5 * dt * k2w)
        k4t, k4w = deriv(theta + dt * k3t, omega + dt * k3w)
        theta += dt / 6.0 * (k1t + 2 * k2t + 2 * k3t + k4t)
        omega += dt / 6.0 * (k1w + 2 * k2w + 2 * k3w + k4w)
        energy.append(0.5 * omega * omega + g_over_l * (1 - math.cos(theta)))
    return theta, omega, energy


def simpson(f, a, b, n):
    if n % 2:
        n += 1
    h = (b - a) / n
    total = f(a) + f(b)
    for i in range(1, n):
        total += (4 if i % 2 else 2) * f(a + i * h)
    return total * h / 3


class RunningStats:
    """Welford's online mean/variance, plus min and max."""

    def __init__(self):
        self.n = 0
        self.mean = 0.0
        self.m2 = 0.0
        self.lo = math.inf
        self.hi = -math.inf

    def add(self, x):
        self.n += 1
        delta = x - self.mean
        self.mean += delta / self.n
        self.m2 += delta * (x - self.mean)
        if x < self.lo:
            self.lo = x
        if x > self.hi:
            self.hi = x

    @property
    def variance(self):
        return self.m2 / (self.n - 1) if self.n > 1 else 0.0


def diffuse(cells, steps, alpha=0.24):
    u = list(cells)
    n = len(u)
    for _ in range(steps):
        new = u[:]
        for i in range(1, n - 1):
            new[i] = u[i] + alpha * (u[i - 1] - 2.0 * u[i] + u[i + 1])
        u = new
    return u


def bench_numerics(points):
    xs = [i / points * 4.0 - 2.0 for i in range(points)]
    ys = [math.sin(1.3 * x) + 0.25 * x * x - 0.1 * x ** 3 + 0.05 * math.cos(17 * x) for x in xs]
    fits = []
    for degree in (2, 3, 5):
        coeffs = polyfit(xs, ys, degree)
        residual = math.sqrt(sum((polyval(coeffs, x) - y) ** 2 for x, y in zip(xs, ys)) / points)
        fits.append((degree, round(residual, 9)))

    theta, omega, energy = pendulum(1.2, steps=points * 5)
    stats = RunningStats()
    for e in energy:
        stats.add(e)

    area = simpson(lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi), -3.0, 3.0, points * 4)

    rod = [0.0] * (points // 2)
    rod[len(rod) // 3] = 100.0
    rod[2 * len(rod) // 3] = 50.0
    heat = diffuse(rod, steps=points // 2)
    centre = sum(i * h for i, h in enumerate(heat)) / sum(heat)

    return (fits, round(theta, 9), round(omega, 9), round(stats.mean, 9), round(stats.variance, 9),
            round(stats.hi, 9), round(area, 12), round(max(heat), 9), round(centre, 9))


def main():
    points = int(sys.argv[1]) if len(sys.argv) > 1 else SIZE
    fits, theta, omega, mean, var, hi, area, peak, centre = bench_numerics(points)
    for degree, residual in fits:
        print(f"degree {degree} fit: rms residual {residual:.9f}")
    print(f"pendulum: theta={theta:.9f} omega={omega:.9f} energy mean={mean:.9f} var={var:.9f} max={hi:.9f}")
    print(f"normal density over [-3, 3]: {area:.12f}")
    print(f"heat: peak {peak:.9f}, centre of mass {centre:.9f}")


if __name__ == "__main__":
    main()
