"""An object-oriented simulation: plants, herbivores and predators on a toroidal field.

Style: classes with inheritance and super(), properties, class attributes, __slots__-free
instances, a small registry, polymorphic dispatch (`act`), and a seeded random.Random.

    python ecosystem.py [STEPS]
"""
import random
import sys

SIZE = 50  # simulation steps


class Entity:
    next_id = 0
    symbol = "?"

    def __init__(self, world, x, y):
        Entity.next_id += 1
        self.id = Entity.next_id
        self.world = world
        self.x = x
        self.y = y
        self.age = 0
        self.alive = True

    @property
    def position(self):
        return (self.x, self.y)

    def die(self):
        self.alive = False

    def act(self):
        self.age += 1

    def __repr__(self):
        return f"{type(self).__name__}#{self.id}@{self.x},{self.y}"


class Plant(Entity):
    symbol = "*"
    max_size = 6.0

    def __init__(self, world, x, y, size=1.0):
        super().__init__(world, x, y)
        self.size = size

    def act(self):
        super().act()
        if self.size < self.max_size:
            self.size = min(self.max_size, self.size * 1.15 + 0.1)
        elif self.world.rng.random() < 0.08:
            self.world.spread(self)

    def eaten(self, amount):
        taken = min(self.size, amount)
        self.size -= taken
        if self.size < 0.2:
            self.die()
        return taken


class Animal(Entity):
    max_age = 40
    speed = 1
    birth_energy = 12.0
    metabolism = 0.6

    def __init__(self, world, x, y, energy=None):
        super().__init__(world, x, y)
        self._energy = self.birth_energy / 2 if energy is None else energy
        self.children = 0

    @property
    def energy(self):
        return self._energy

    @energy.setter
    def energy(self, value):
        self._energy = value
        if value <= 0:
            self.die()

    @property
    def hungry(self):
        return self._energy < self.birth_energy * 0.75

    def move(self):
        rng = self.world.rng
        dx = rng.randint(-self.speed, self.speed)
        dy = rng.randint(-self.speed, self.speed)
        self.world.relocate(self, (self.x + dx) % self.world.width, (self.y + dy) % self.world.height)

    def act(self):
        super().act()
        if self.age > self.max_age:
            self.die()
            return
        target = self.find_food() if self.hungry else None
        if target is not None:
            self.eat(target)
        else:
            self.move()
        self.energy -= self.metabolism
        if self.alive and self.energy >= self.birth_energy:
            self.reproduce()

    def neighbours(self):
        return self.world.around(self.x, self.y)

    def reproduce(self):
        self.energy = self.energy / 2
        self.children += 1
        self.world.add(type(self)(self.world, self.x, self.y, energy=self.energy))

    def find_food(self):
        raise NotImplementedError

    def eat(self, food):
        raise NotImplementedError


class Herbivore(Animal):
    symbol = "h"

    def find_food(self):
        best = None
        for other in self.neighbours():
            if isinstance(other, Plant) and other.alive and (best is None or other.size > best.size):
                best = other
        return best

    def eat(self, plant):
        self.energy += plant.eaten(2.5) * 1.5


class Predator(Animal):
    symbol = "P"
    max_age = 60
    speed = 2
    birth_energy = 30.0
    metabolism = 1.1

    def find_food(self):
        prey = [o for o in self.neighbours() if isinstance(o, Herbivore) and o.alive]
        if not prey:
            return None
        return min(prey, key=lambda h: (h.energy, h.id))

    def eat(self, prey):
        prey.die()
        self.energy += prey.energy * 0.8 + 4.0


class World:
    def __init__(self, width, height, seed):
        self.width = width
        self.height = height
        self.rng = random.Random(seed)
        self.cells = {}
        self.entities = []
        self.born = 0

    def add(self, entity):
        self.entities.append(entity)
        self.cells.setdefault(entity.position, []).append(entity)
        self.born += 1

    def relocate(self, entity, x, y):
        self.cells[entity.position].remove(entity)
        entity.x, entity.y = x, y
        self.cells.setdefault((x, y), []).append(entity)

    def around(self, x, y):
        found = []
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                found.extend(self.cells.get(((x + dx) % self.width, (y + dy) % self.height), ()))
        return found

    def spread(self, plant):
        x = (plant.x + self.rng.choice((-2, -1, 1, 2))) % self.width
        y = (plant.y + self.rng.choice((-2, -1, 1, 2))) % self.height
        if not any(isinstance(e, Plant) for e in self.cells.get((x, y), ())):
            self.add(Plant(self, x, y, size=0.5))

    def step(self):
        for entity in list(self.entities):
            if entity.alive:
                entity.act()
        survivors = []
        for entity in self.entities:
            if entity.alive:
                survivors.append(entity)
            else:
                self.cells[entity.position].remove(entity)
        self.entities = survivors

    def census(self):
        counts = {}
        for entity in self.entities:
            name = type(entity).__name__
            counts[name] = counts.get(name, 0) + 1
        return tuple(sorted(counts.items()))

    def populate(self, plants, herbivores, predators):
        for kind, count in ((Plant, plants), (Herbivore, herbivores), (Predator, predators)):
            for _ in range(count):
                self.add(kind(self, self.rng.randrange(self.width), self.rng.randrange(self.height)))


def bench_ecosystem(steps):
    Entity.next_id = 0
    world = World(64, 48, seed=1234)
    world.populate(plants=900, herbivores=200, predators=10)
    history = []
    for _ in range(steps):
        world.step()
        history.append(world.census())
    oldest = max(world.entities, key=lambda e: (e.age, -e.id))
    biomass = round(sum(e.size for e in world.entities if isinstance(e, Plant)), 6)
    return history, world.born, repr(oldest), biomass


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else SIZE
    history, born, oldest, biomass = bench_ecosystem(steps)
    for i in range(0, len(history), max(1, len(history) // 6)):
        print(f"step {i + 1:3}: {dict(history[i])}")
    print(f"final: {dict(history[-1])} born={born} oldest={oldest} plant biomass={biomass}")


if __name__ == "__main__":
    main()
