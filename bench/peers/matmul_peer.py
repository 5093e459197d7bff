"""OpenBLAS single-precision matrix multiply through NumPy, the peer for `peakformer bench` (matmul).

usage: /usr/bin/python3 bench/peers/matmul_peer.py SECONDS M,N,K [M,N,K ...]
Prints one JSON object per shape: {"m":..,"n":..,"k":..,"gflops":..}. Thread count: OPENBLAS_NUM_THREADS.
"""
import json, sys, time
import numpy as np

seconds = float(sys.argv[1])
rng = np.random.default_rng(0)
for spec in sys.argv[2:]:
    m, n, k = (int(v) for v in spec.split(","))
    a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    for _ in range(3):
        a @ b
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        a @ b
        count += 1
    elapsed = time.perf_counter() - start
    print(json.dumps({"m": m, "n": n, "k": k, "gflops": 2.0 * m * n * k * count / elapsed / 1e9}), flush=True)
