"""networkx (pure-Python graph algorithms over dict-of-dict adjacency): on seeded random graphs,
betweenness centrality, all-pairs shortest path lengths (BFS) and Dijkstra, connected
components, k-core numbers, clustering, a minimum spanning tree, maximum flow and a topological
sort of a DAG.

    python lib_networkx.py [NODES]
"""
import sys

import networkx as nx

SIZE = 150  # nodes


def bench_networkx(n):
    g = nx.gnm_random_graph(n, n * 3, seed=7)
    for u, v in g.edges:
        g.edges[u, v]["weight"] = (u * 31 + v * 17) % 23 + 1
    between = nx.betweenness_centrality(g)
    top_between = sorted(between, key=lambda v: (-between[v], v))[:5]
    lengths = dict(nx.all_pairs_shortest_path_length(g))
    diameter = max(max(d.values()) for d in lengths.values())
    dist = nx.single_source_dijkstra_path_length(g, 0, weight="weight")
    components = sorted((len(c) for c in nx.connected_components(g)), reverse=True)
    core = nx.core_number(g)
    clustering = nx.average_clustering(g)
    mst = nx.minimum_spanning_tree(g, weight="weight")

    d = nx.gnm_random_graph(n, n * 4, seed=11, directed=True)
    dag = nx.DiGraph((u, v) for u, v in d.edges if u < v)
    order = list(nx.lexicographical_topological_sort(dag))
    for u, v in dag.edges:
        dag.edges[u, v]["capacity"] = (u + 2 * v) % 9 + 1
    source = max(order[:10], key=lambda v: (dag.out_degree(v), -v))
    sink = max(order[-10:], key=lambda v: (dag.in_degree(v), v))
    flow_value, _ = nx.maximum_flow(dag, source, sink)
    longest = nx.dag_longest_path_length(dag)
    return (top_between, round(sum(between.values()), 9), diameter, sum(dist.values()), components[:3],
            max(core.values()), round(clustering, 9), mst.size(weight="weight"), order[:8], (source, sink, flow_value),
            longest)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else SIZE
    for item in bench_networkx(n):
        print(item)


if __name__ == "__main__":
    main()
