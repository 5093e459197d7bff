"""Writes the golden file the spectrum preprocessing tests compare against (SciPy and NumPy as the reference).

Run with Debian's SciPy (apt-get install -y python3-scipy):
    /usr/bin/python3 tools/golden/make_spectra_golden.py tests/Peakformer.Tests/Golden

spectra_golden.json holds, for each case, its inputs and the reference's outputs:
    savgol     scipy.signal.savgol_filter(y, window, order) (mode='interp', the default) for several windows and
               orders, including a window as long as the spectrum
    als        the baseline z of asymmetric least squares (Eilers and Boelens 2005) as their published algorithm,
               solved with scipy.sparse.linalg.spsolve: z = (W + lam D^T D)^-1 W y, w = p where y > z else 1 - p,
               10 solves from w = 1
    airpls     the baseline of airPLS as its authors' published Python code (Zhang, Chen and Liang 2010), with
               scipy.sparse and spsolve
    normalise  min-max, area (np.trapz over the shift axis), vector (np.linalg.norm) and max (largest magnitude)
               on an uneven axis
    resample   np.interp onto an even grid
"""
import json, sys
import numpy as np
import scipy
from scipy import sparse
from scipy.signal import savgol_filter
from scipy.sparse.linalg import spsolve

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
rng = np.random.default_rng(20261201)


def floats(a):
    return [float(x) for x in a]


def spectrum(n):
    """A Raman-like test spectrum: two Gaussian bands on a sloped, curved baseline, with noise."""
    x = np.linspace(0, 1, n)
    bands = 1.0 * np.exp(-0.5 * ((x - 0.3) / 0.02) ** 2) + 0.6 * np.exp(-0.5 * ((x - 0.7) / 0.03) ** 2)
    baseline = 0.5 + 0.8 * x - 0.4 * x ** 2
    return bands + baseline + 0.02 * rng.standard_normal(n), bands, baseline


def als(y, lam, p, niter=10):
    L = len(y)
    D = sparse.diags([1, -2, 1], [0, -1, -2], shape=(L, L - 2))
    w = np.ones(L)
    for _ in range(niter):
        W = sparse.spdiags(w, 0, L, L)
        Z = sparse.csc_matrix(W + lam * D.dot(D.transpose()))
        z = spsolve(Z, w * y)
        w = np.where(y > z, p, 1 - p)
    return z


def whittaker(x, w, lambda_, differences=1):
    X = np.matrix(x)
    m = X.size
    E = sparse.eye(m, format="csc")
    for _ in range(differences):
        E = E[1:] - E[:-1]
    W = sparse.diags(w, 0, shape=(m, m))
    A = sparse.csc_matrix(W + (lambda_ * E.T * E))
    B = sparse.csc_matrix(W * X.T)
    return np.array(spsolve(A, B))


def airpls(x, lambda_=100, porder=1, itermax=15):
    m = x.shape[0]
    w = np.ones(m)
    for i in range(1, itermax + 1):
        z = whittaker(x, w, lambda_, porder)
        d = x - z
        dssn = np.abs(d[d < 0].sum())
        if dssn < 0.001 * (abs(x)).sum() or i == itermax:
            break
        w[d >= 0] = 0
        w[d < 0] = np.exp(i * np.abs(d[d < 0]) / dssn)
        w[0] = np.exp(i * (d[d < 0]).max() / dssn)
        w[-1] = w[0]
    return z


cases = {"scipy": scipy.__version__, "numpy": np.__version__}

y101, _, _ = spectrum(101)
y15, _, _ = spectrum(15)
cases["savgol"] = [
    {"y": floats(y), "window": w, "order": p, "expected": floats(savgol_filter(y, w, p))}
    for y, w, p in [(y101, 5, 2), (y101, 11, 3), (y101, 21, 4), (y101, 7, 0), (y101, 31, 5), (y101, 9, 1), (y101, 51, 6), (y15, 15, 3), (y15, 3, 2)]
]

y300, _, _ = spectrum(300)
cases["als"] = [
    {"y": floats(y300), "lambda": lam, "p": p, "iterations": 10, "baseline": floats(als(y300, lam, p))}
    for lam, p in [(1e5, 0.01), (1e3, 0.05), (1e7, 0.001)]
]
cases["airpls"] = [
    {"y": floats(y300), "lambda": lam, "iterations": it, "baseline": floats(airpls(y300, lam, 1, it))}
    for lam, it in [(100, 15), (1e4, 15), (10, 3)]
]

axis = np.sort(rng.uniform(200, 2000, 40))
v = rng.standard_normal(40) + 0.5
cases["normalise"] = {
    "axis": floats(axis), "y": floats(v),
    "minmax": floats((v - v.min()) / (v.max() - v.min())),
    "area": floats(v / abs(np.trapz(v, axis))),
    "vector": floats(v / np.linalg.norm(v)),
    "max": floats(v / np.abs(v).max()),
}
grid = np.linspace(400, 1800, 57)
cases["resample"] = {"axis": floats(axis), "y": floats(v), "min": 400.0, "max": 1800.0, "points": 57,
                     "expected": floats(np.interp(grid, axis, v))}

with open(f"{OUT}/spectra_golden.json", "w") as f:
    json.dump(cases, f)
print(f"wrote {OUT}/spectra_golden.json")
