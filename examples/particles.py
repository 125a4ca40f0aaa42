"""The demo workload: a small particle simulation with classes, float math, method calls and
loops, the kind of code s6c is for. Deterministic: prints the same digest on every run."""
import sys


class Vec:
    __slots__ = ("x", "y", "z")

    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def add(self, o):
        return Vec(self.x + o.x, self.y + o.y, self.z + o.z)

    def scale(self, k):
        return Vec(self.x * k, self.y * k, self.z * k)

    def dot(self, o):
        return self.x * o.x + self.y * o.y + self.z * o.z


class Particle:
    def __init__(self, pos, vel, mass):
        self.pos = pos
        self.vel = vel
        self.mass = mass


def make_particles(n):
    seed = 12345
    out = []
    for i in range(n):
        seed = (seed * 1103515245 + 12345) % 2147483648
        x = (seed % 1000) / 100.0
        seed = (seed * 1103515245 + 12345) % 2147483648
        y = (seed % 1000) / 100.0
        out.append(Particle(Vec(x, y, i * 0.01), Vec(0.0, 0.0, 0.0), 1.0 + (i % 3)))
    return out


def step(particles, dt):
    n = len(particles)
    for i in range(n):
        p = particles[i]
        fx = fy = fz = 0.0
        for j in range(n):
            if i == j:
                continue
            q = particles[j]
            dx = q.pos.x - p.pos.x
            dy = q.pos.y - p.pos.y
            dz = q.pos.z - p.pos.z
            d2 = dx * dx + dy * dy + dz * dz + 0.01
            f = q.mass / (d2 * d2 ** 0.5)
            fx += dx * f
            fy += dy * f
            fz += dz * f
        p.vel = p.vel.add(Vec(fx, fy, fz).scale(dt))
    for p in particles:
        p.pos = p.pos.add(p.vel.scale(dt))


def energy(particles):
    return sum(0.5 * p.mass * p.vel.dot(p.vel) for p in particles)


def main(steps):
    particles = make_particles(60)
    for _ in range(steps):
        step(particles, 0.001)
    print(f"energy after {steps} steps: {energy(particles):.9f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
