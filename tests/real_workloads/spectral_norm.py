"""spectral_norm: the norm the benchmark computes (and discards), at a smaller size."""
import math

from run_benchmark import eval_A, eval_AtA_times_u

print([eval_A(i, j) for i in range(3) for j in range(3)])
for n in (1, 7, 40):
    u = [1] * n
    for _ in range(10):
        v = eval_AtA_times_u(u)
        u = eval_AtA_times_u(v)
    vBv = vv = 0
    for ue, ve in zip(u, v):
        vBv += ue * ve
        vv += ve * ve
    print(n, repr(math.sqrt(vBv / vv)), repr(u[0]), repr(v[-1]))
