"""nbody: the energies the benchmark computes (and discards) before and after advancing."""
from run_benchmark import BODIES, advance, offset_momentum, report_energy

offset_momentum(BODIES["sun"])
for steps in (0, 1, 10, 500):
    advance(0.01, steps)
    print(steps, repr(report_energy()))
