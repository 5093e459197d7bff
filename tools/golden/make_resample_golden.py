"""Goldens for --resample (linear interpolation onto the model's sampling grid), by NumPy's np.interp:

    /usr/bin/python3 tools/golden/make_resample_golden.py tests/Peakformer.Tests/Golden

resample.npz: x float32 [1200], a noisy waveform with pulses sampled every 0.25 ns; for each target interval
(0.5, 0.4 and 0.2 ns: down by 2, down by a non-integer 1.6, up by 1.25) the record of the same duration,
t_out = arange(M) * to with M = floor((1200 - 1) * 0.25 / to) + 1 samples, and y_<to> = np.interp(t_out, t_in, x)
as float32 (interp in float64, then rounded once, as Peakformer does).
"""
import os, sys
import numpy as np

out = sys.argv[1] if len(sys.argv) > 1 else "."
rng = np.random.default_rng(25)
n, dt = 1200, 0.25
t_in = np.arange(n) * dt
x = rng.normal(0.0, 0.025, size=n)
for _ in range(12):
    t0, a = rng.uniform(20, 280), rng.uniform(0.3, 1.0)
    d = np.clip(t_in - t0, 0, None)
    x += a * (1 - np.exp(-d / 1.0)) * np.exp(-d / 7.0)
x = x.astype(np.float32)
arrays = {"x": x, "sampling_ns": np.float64(dt)}
for to, key in [(0.5, "y_0_5"), (0.4, "y_0_4"), (0.2, "y_0_2")]:
    m = int(np.floor((n - 1) * dt / to + 1e-9)) + 1
    t_out = np.arange(m) * to
    assert t_out[-1] <= t_in[-1] + 1e-9
    arrays[key] = np.interp(t_out, t_in, x.astype(np.float64)).astype(np.float32)
np.savez(os.path.join(out, "resample.npz"), **arrays)
print({k: v.shape for k, v in arrays.items()})
