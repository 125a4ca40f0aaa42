"""Grid programs: Conway's Game of Life on a toroidal list-of-lists board seeded with classic
patterns plus noise, the same rules run on a sparse set of live cells to cross-check, and a
flood fill that labels the connected regions of the final board.

Style: nested lists of ints, index arithmetic with modulo, row/column loops, sets of (x, y)
tuples, a Board class with __str__, collections.Counter for neighbour counts.

    python life.py [GENERATIONS]
"""
import sys
from collections import Counter

SIZE = 25  # generations

GLIDER = [".O.", "..O", "OOO"]
PULSAR_QUARTER = ["..OOO", ".....", "O....", "O....", "O...."]
R_PENTOMINO = [".OO", "OO.", ".O."]


class Board:
    def __init__(self, width, height):
        self.width = width
        self.height = height
        self.cells = [[0] * width for _ in range(height)]

    def place(self, pattern, left, top):
        for dy, row in enumerate(pattern):
            for dx, ch in enumerate(row):
                if ch == "O":
                    self.cells[(top + dy) % self.height][(left + dx) % self.width] = 1

    def live_neighbours(self, x, y):
        total = 0
        for dy in (-1, 0, 1):
            row = self.cells[(y + dy) % self.height]
            for dx in (-1, 0, 1):
                if dx or dy:
                    total += row[(x + dx) % self.width]
        return total

    def step(self):
        new = [[0] * self.width for _ in range(self.height)]
        for y in range(self.height):
            old_row = self.cells[y]
            new_row = new[y]
            for x in range(self.width):
                n = self.live_neighbours(x, y)
                if n == 3 or (n == 2 and old_row[x]):
                    new_row[x] = 1
        self.cells = new

    def population(self):
        return sum(map(sum, self.cells))

    def live_set(self):
        return {(x, y) for y, row in enumerate(self.cells) for x, v in enumerate(row) if v}

    def __str__(self):
        return "\n".join("".join("#" if v else "." for v in row) for row in self.cells)


def sparse_step(live, width, height):
    counts = Counter((( x + dx) % width, (y + dy) % height)
                     for x, y in live for dx in (-1, 0, 1) for dy in (-1, 0, 1) if dx or dy)
    return {cell for cell, n in counts.items() if n == 3 or (n == 2 and cell in live)}


def regions(board):
    """Label 8-connected groups of live cells; return their sizes, largest first."""
    seen = [[False] * board.width for _ in range(board.height)]
    sizes = []
    for y in range(board.height):
        for x in range(board.width):
            if not board.cells[y][x] or seen[y][x]:
                continue
            stack = [(x, y)]
            seen[y][x] = True
            size = 0
            while stack:
                cx, cy = stack.pop()
                size += 1
                for dy in (-1, 0, 1):
                    for dx in (-1, 0, 1):
                        nx, ny = (cx + dx) % board.width, (cy + dy) % board.height
                        if board.cells[ny][nx] and not seen[ny][nx]:
                            seen[ny][nx] = True
                            stack.append((nx, ny))
            sizes.append(size)
    return sorted(sizes, reverse=True)


def mirror(pattern):
    return [row[::-1] for row in pattern]


def flip(pattern):
    return pattern[::-1]


def bench_life(generations):
    board = Board(64, 48)
    for i in range(4):
        board.place(GLIDER, 3 + 15 * i, 2 + 9 * i)
    quarter = PULSAR_QUARTER
    for pattern, (left, top) in ((quarter, (40, 25)), (mirror(quarter), (46, 25)),
                                 (flip(quarter), (40, 31)), (flip(mirror(quarter)), (46, 31))):
        board.place(pattern, left, top)
    board.place(R_PENTOMINO, 20, 30)
    seed = 12345
    for _ in range(500):
        seed = (seed * 69069 + 1) & 0xFFFFFFFF
        board.cells[(seed >> 8) % 48][(seed >> 20) % 64] = 1

    live = board.live_set()
    history = []
    for gen in range(generations):
        board.step()
        live = sparse_step(live, board.width, board.height)
        if gen % 5 == 4 and live != board.live_set():
            raise AssertionError(f"dense and sparse boards disagree at generation {gen + 1}")
        history.append(board.population())
    rows = str(board).splitlines()
    return history, regions(board)[:8], rows[:6]


def main():
    generations = int(sys.argv[1]) if len(sys.argv) > 1 else SIZE
    history, largest, rows = bench_life(generations)
    print("population:", " ".join(map(str, history)))
    print("largest regions:", largest)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
