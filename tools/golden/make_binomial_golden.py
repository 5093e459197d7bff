"""Writes the binomial-interval golden file the report's error-bar tests compare against.

Run with Debian's SciPy (apt-get install -y python3-scipy; >= 1.7 has BinomTestResult.proportion_ci):
    /usr/bin/python3 tools/golden/make_binomial_golden.py tests/Peakformer.Tests/Golden

binomial_intervals.json holds, for each (k, n), scipy.stats.binomtest(k, n).proportion_ci(confidence_level, method)
for the Wilson score interval (method="wilson") and the Clopper-Pearson interval (method="exact") at the
one-sigma level erf(1/sqrt(2)) = 0.6827 that the report's error bars use. Peakformer draws Wilson; Clopper-Pearson
is stored to show the two differ (a test checks the code is not the exact interval by mistake).
"""
import json, math, os, sys
import scipy
from scipy import stats

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
LEVEL = math.erf(1 / math.sqrt(2))
CASES = [(0, 1), (1, 1), (0, 10), (10, 10), (3, 10), (1, 2), (7, 13), (50, 100), (1, 1000), (999, 1000), (5744, 7279), (3111, 5843)]

cases = []
for k, n in CASES:
    result = stats.binomtest(k, n)
    w = result.proportion_ci(confidence_level=LEVEL, method="wilson")
    e = result.proportion_ci(confidence_level=LEVEL, method="exact")
    cases.append({"k": k, "n": n, "wilson": [float(w.low), float(w.high)], "clopper_pearson": [float(e.low), float(e.high)]})

with open(os.path.join(OUT, "binomial_intervals.json"), "w") as f:
    json.dump({"scipy": scipy.__version__, "confidence_level": LEVEL, "cases": cases}, f, indent=1)
    f.write("\n")
print(f"wrote {len(cases)} cases with scipy {scipy.__version__}")
