"""Turns a simulated .npz into what a beam test delivers, for the README's worked example: digitised waveforms in an
HDF5 file without truth, and a track map. Needs NumPy and h5py (Debian's python3-h5py).

    /usr/bin/python3 tools/examples/to_detector_files.py beam.npz beam_adc.h5 tracks.csv [CELLS_PER_TRACK]

beam_adc.h5: /adc/samples int16 [N, L] = round(pedestal_i + amplitude / gain), chunked and gzip-compressed as DAQ
             files often are, /calib/pedestal [N] (a few counts apart per channel), /calib/gain () = 1/256 amplitude
             per count, /meta/dt () the sampling interval in ns. No Monte-Carlo truth.
tracks.csv:  file,event,track,length_cm,momentum: consecutive waveforms grouped into tracks of CELLS_PER_TRACK cells
             (default 40), each cell's path length in gas and the beam momentum from the simulation's truth.
"""
import os, sys
import numpy as np
import h5py

source, h5_path, map_path = sys.argv[1:4]
cells = int(sys.argv[4]) if len(sys.argv) > 4 else 40
data = np.load(source)
amplitude = data["waveforms"].astype(np.float64)
n = amplitude.shape[0] - amplitude.shape[0] % cells
rng = np.random.default_rng(5)
pedestal = np.round(200 + rng.normal(0, 3, size=n))
gain = 1.0 / 256
adc = np.clip(np.round(pedestal[:, None] + amplitude[:n] / gain), -32768, 32767).astype(np.int16)
with h5py.File(h5_path, "w") as f:
    f.create_dataset("adc/samples", data=adc, chunks=(min(n, 64), adc.shape[1]), compression="gzip")
    f["calib/pedestal"] = pedestal
    f["calib/gain"] = gain
    f["meta/dt"] = float(data["sampling_ns"]) if "sampling_ns" in data else 0.5
name = os.path.basename(h5_path)
with open(map_path, "w") as out:
    out.write("file,event,track,length_cm,momentum\n")
    for i in range(n):
        out.write(f"{name},{i},{i // cells},{data['track_length_cm'][i]:.6g},{data['momentum_gev'][i]:.6g}\n")
print(f"{h5_path}: {n} waveforms as int16 ADC counts; {map_path}: {n // cells} tracks of {cells} cells")
