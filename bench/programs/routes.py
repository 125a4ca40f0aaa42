"""Graph search on a generated road network: BFS hop counts, Dijkstra with heapq, A* with a
Euclidean heuristic, connected components with sets, and a minimum spanning tree (Kruskal with
union-find).

Style: adjacency dicts of dicts, tuples as heap entries, sets for visited nodes, a small Graph
class, generator functions for neighbours, math.hypot.

    python routes.py [NODES]
"""
import heapq
import math
import random
import sys
from collections import deque

SIZE = 1500  # nodes in the road network


class Graph:
    def __init__(self):
        self.adj = {}
        self.coords = {}

    def add_node(self, node, x, y):
        self.adj.setdefault(node, {})
        self.coords[node] = (x, y)

    def add_edge(self, a, b, weight):
        if b in self.adj[a] and self.adj[a][b] <= weight:
            return
        self.adj[a][b] = weight
        self.adj[b][a] = weight

    def neighbours(self, node):
        yield from self.adj[node].items()

    def distance(self, a, b):
        (x1, y1), (x2, y2) = self.coords[a], self.coords[b]
        return math.hypot(x1 - x2, y1 - y2)

    def edges(self):
        for a, targets in self.adj.items():
            for b, w in targets.items():
                if a < b:
                    yield w, a, b


def build_network(n, seed):
    rng = random.Random(seed)
    g = Graph()
    for node in range(n):
        g.add_node(node, rng.uniform(0, 100), rng.uniform(0, 100))
    # Link each node to a few of its nearest neighbours in a coarse spatial grid.
    cell = 100 / math.sqrt(n / 4)
    buckets = {}
    for node, (x, y) in g.coords.items():
        buckets.setdefault((int(x // cell), int(y // cell)), []).append(node)
    for node, (x, y) in g.coords.items():
        cx, cy = int(x // cell), int(y // cell)
        near = []
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in buckets.get((cx + dx, cy + dy), ()):
                    if other != node:
                        near.append((g.distance(node, other), other))
        near.sort()
        for dist, other in near[:3]:
            # Roads are a bit longer than the straight line, some are slow.
            g.add_edge(node, other, round(dist * rng.uniform(1.0, 1.6), 3))
    return g


def bfs_hops(g, start):
    hops = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in g.adj[node]:
            if nxt not in hops:
                hops[nxt] = hops[node] + 1
                queue.append(nxt)
    return hops


def dijkstra(g, source):
    dist = {source: 0.0}
    prev = {}
    heap = [(0.0, source)]
    done = set()
    while heap:
        d, node = heapq.heappop(heap)
        if node in done:
            continue
        done.add(node)
        for nxt, w in g.neighbours(node):
            nd = d + w
            if nd < dist.get(nxt, math.inf):
                dist[nxt] = nd
                prev[nxt] = node
                heapq.heappush(heap, (nd, nxt))
    return dist, prev


def astar(g, source, target):
    open_heap = [(g.distance(source, target), 0.0, source)]
    best = {source: 0.0}
    came_from = {}
    closed = set()
    expanded = 0
    while open_heap:
        _, cost, node = heapq.heappop(open_heap)
        if node == target:
            path = [node]
            while node in came_from:
                node = came_from[node]
                path.append(node)
            return cost, path[::-1], expanded
        if node in closed:
            continue
        closed.add(node)
        expanded += 1
        for nxt, w in g.neighbours(node):
            new_cost = cost + w
            if new_cost < best.get(nxt, math.inf):
                best[nxt] = new_cost
                came_from[nxt] = node
                heapq.heappush(open_heap, (new_cost + g.distance(nxt, target), new_cost, nxt))
    return math.inf, [], expanded


def components(g):
    seen = set()
    sizes = []
    for start in g.adj:
        if start in seen:
            continue
        stack = [start]
        seen.add(start)
        size = 0
        while stack:
            node = stack.pop()
            size += 1
            for nxt in g.adj[node]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        sizes.append(size)
    return sorted(sizes, reverse=True)


class DisjointSet:
    def __init__(self, items):
        self.parent = {x: x for x in items}
        self.rank = dict.fromkeys(items, 0)

    def find(self, x):
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if self.rank[ra] < self.rank[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        if self.rank[ra] == self.rank[rb]:
            self.rank[ra] += 1
        return True


def spanning_tree_weight(g):
    ds = DisjointSet(g.adj)
    total = 0.0
    used = 0
    for w, a, b in sorted(g.edges()):
        if ds.union(a, b):
            total += w
            used += 1
    return round(total, 3), used


def bench_routes(n):
    g = build_network(n, seed=42)
    comps = components(g)
    main_start = min(g.adj, key=lambda v: (-len(g.adj[v]), v))
    hops = bfs_hops(g, main_start)
    dist, prev = dijkstra(g, main_start)
    far = max(dist, key=lambda v: (dist[v], v))
    trips = []
    for k in range(8):
        a = (k * 7919) % n
        b = (k * 104729 + n // 2) % n
        cost, path, expanded = astar(g, a, b)
        if path:
            check = dijkstra(g, a)[0][b]
            if abs(check - cost) > 1e-9:
                raise AssertionError(f"A* and Dijkstra disagree on {a}->{b}: {cost} vs {check}")
        trips.append((a, b, round(cost, 3), len(path), expanded))
    mst = spanning_tree_weight(g)
    return (len(comps), comps[:3], max(hops.values()), far, round(dist[far], 3), trips, mst)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else SIZE
    ncomp, largest, diameter, far, far_dist, trips, mst = bench_routes(n)
    print(f"{n} nodes: {ncomp} components, largest {largest}, BFS depth {diameter}")
    print(f"farthest by road: node {far} at {far_dist}")
    for trip in trips:
        print("  trip %d -> %d: cost %s, %d stops, %d expanded" % trip)
    print(f"spanning forest: weight {mst[0]} over {mst[1]} roads")


if __name__ == "__main__":
    main()
