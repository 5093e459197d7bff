"""Writes one small waveform set in every format Peakformer reads, by NumPy and h5py (Debian's python3-numpy,
python3-h5py), for the reader tests:

    /usr/bin/python3 tools/golden/make_waveform_formats.py tests/Peakformer.Tests/Golden

The set: 3 waveforms of 1200 samples, digitised as int16 ADC counts = round(pedestal_i + 256 * (noise + pulses)),
pedestal_i = 200, 203, 198 counts, gain 1/256 amplitude per count, sampling 0.5 ns. The amplitude
(adc - pedestal_i) / 256 is a multiple of 2^-8 below 2^7, so float32 and float64 hold it exactly: every file below
must read to the same float32 samples as wf_f32.npz, bit for bit.

wf_f32.npz       waveforms float32 [3, 1200], sampling_ns
wf_f64.npz       waveforms float64 [3, 1200], sampling_ns            (NumPy's default dtype)
wf_i16.npz       waveforms int16 [3, 1200] (ADC), pedestal float64 [3], gain float64 (), sampling_ns
wf_u16.npy       the ADC counts as uint16 [3, 1200], nothing else (pedestal and gain given as options)
wf_f32.h5        /waveforms float32 [3, 1200], /sampling_ns
wf_adc.h5        /adc/samples int16 [3, 1200] chunked and gzip-compressed, /calib/pedestal [3], /calib/gain (),
                 /meta/dt (): read with --map waveforms=/adc/samples,pedestal=/calib/pedestal,gain=/calib/gain,sampling_ns=/meta/dt
wf.csv           header "event,s0,...,s1199", one waveform per line: event number then the float32 samples
                 written as their shortest round-trip text (--csv-columns event)
wf_f32.parquet, wf_adc.parquet: the same set written by an npm Parquet writer from wf_i16.npz's arrays
                 (tools/golden/make_waveform_parquet.mjs, run after this script)
None of them holds Monte-Carlo truth.
sim_truth.h5     a small simulated set with its truth, from sim_truth.npz (written by `peakformer simulate --events 12
                 --seed 14 --particle pion:0.5,proton:0.5 --momentum 1:8 --out sim_truth.npz`, committed, read here
                 by NumPy): /waveforms, /sampling_ns, the truth datasets under the .npz's names (electron_offsets,
                 electron_time_ns, electron_peak_sample, electron_cluster, electron_tag, particle, momentum_gev,
                 beta_gamma, track_length_cm, n_clusters) and /config (the generator's JSON, an h5py string), so
                 count and evaluate on it must give what they give on the .npz
                 (sim_truth.parquet: the same by make_waveform_parquet.mjs, per-electron arrays as list columns)
wf_huge.h5       hostile: /waveforms float32 declared [10^9, 10^6] (4 PB) in a file of a few kB (chunks never written)
"""
import os, sys
import numpy as np
import h5py

out = sys.argv[1] if len(sys.argv) > 1 else "."
rng = np.random.default_rng(14)
n, length = 3, 1200
t = np.arange(length)
amplitude = rng.normal(0.0, 0.025, size=(n, length))  # white noise, the simulator's rms
for i in range(n):
    for _ in range(6 + 3 * i):  # a few electron pulses: fast rise, slower fall
        t0 = rng.uniform(100, 1000)
        a = rng.uniform(0.3, 1.0)
        d = np.clip(t - t0, 0, None)
        amplitude[i] += a * (1 - np.exp(-d / 1.5)) * np.exp(-d / 8.0)
pedestal = np.array([200.0, 203.0, 198.0])
gain = 1.0 / 256
adc = np.round(pedestal[:, None] + amplitude / gain).astype(np.int16)
wf = ((adc - pedestal[:, None]) * gain).astype(np.float32)
assert np.array_equal(wf.astype(np.float64), (adc - pedestal[:, None]) * gain)  # exact, as the docstring says
dt = np.float64(0.5)

np.savez(os.path.join(out, "wf_f32.npz"), waveforms=wf, sampling_ns=dt)
np.savez(os.path.join(out, "wf_f64.npz"), waveforms=wf.astype(np.float64), sampling_ns=dt)
np.savez(os.path.join(out, "wf_i16.npz"), waveforms=adc, pedestal=pedestal, gain=np.float64(gain), sampling_ns=dt)
np.save(os.path.join(out, "wf_u16.npy"), adc.astype(np.uint16))
with h5py.File(os.path.join(out, "wf_f32.h5"), "w") as f:
    f["waveforms"] = wf
    f["sampling_ns"] = dt
with h5py.File(os.path.join(out, "wf_adc.h5"), "w") as f:
    f.create_dataset("adc/samples", data=adc, chunks=(1, length), compression="gzip")
    f["calib/pedestal"] = pedestal
    f["calib/gain"] = np.float64(gain)
    f["meta/dt"] = dt
with open(os.path.join(out, "wf.csv"), "w") as f:
    f.write("event," + ",".join(f"s{k}" for k in range(length)) + "\n")
    for i in range(n):
        f.write(f"{i}," + ",".join(np.format_float_positional(v, unique=True, trim="-") for v in wf[i]) + "\n")
with h5py.File(os.path.join(out, "wf_huge.h5"), "w") as f:
    f.create_dataset("waveforms", shape=(10**9, 10**6), dtype=np.float32, chunks=(1, 1000))

TRUTH = ["electron_offsets", "electron_time_ns", "electron_peak_sample", "electron_cluster", "electron_tag",
         "particle", "momentum_gev", "beta_gamma", "track_length_cm", "n_clusters"]
sim = np.load(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../tests/Peakformer.Tests/Golden/sim_truth.npz"))
with h5py.File(os.path.join(out, "sim_truth.h5"), "w") as f:
    f["waveforms"] = sim["waveforms"]
    f["sampling_ns"] = sim["sampling_ns"]
    f["config"] = str(sim["config"])
    for name in TRUTH:
        f[name] = sim[name]
