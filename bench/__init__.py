"""
Benchmarks of motcua (issue 8): ``make bench`` / ``python -m bench``.

Not tests: nothing here asserts. Each figure is measured beside a floor taken
in the same run on the same machine, so that the ratio still means something
when the machine is noisy. The figures land in docs/benchmarks.md.
"""
