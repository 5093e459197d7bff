"""Writes the spectra input fixtures the SpectrumSetReader tests read, with NumPy as the reference.

    /usr/bin/python3 tools/golden/make_spectra_inputs.py tests/Peakformer.Tests/Golden/spectra_inputs

bacteria/   X_reference.npy float64 [6, 50], y_reference.npy float64 (whole numbers, as the public bacteria-ID set
            stores them), wavenumbers.npy float64 [50]
f32/        X.npy float32 [4, 30], y.npy int64, classes.txt
table.csv   a header of shifts (decreasing, as some instruments write them) and a 'label' column of names
text/       one sub-folder per class of two-column exports: the first file on an even grid, the others on other
            grids (one decreasing, one comma-separated with a header line and '#' comments)
expected.json  the text folder's spectra on the first file's grid by np.interp, and the CSV's spectra turned round
"""
import json, os, sys
import numpy as np

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
rng = np.random.default_rng(20261203)
os.makedirs(f"{OUT}/bacteria", exist_ok=True)
os.makedirs(f"{OUT}/f32", exist_ok=True)

w = np.linspace(400.0, 1800.0, 50)
np.save(f"{OUT}/bacteria/X_reference.npy", rng.random((6, 50)))
np.save(f"{OUT}/bacteria/y_reference.npy", np.array([0, 1, 2, 0, 1, 2], dtype=np.float64))
np.save(f"{OUT}/bacteria/wavenumbers.npy", w)
np.save(f"{OUT}/f32/X.npy", rng.random((4, 30)).astype(np.float32))
np.save(f"{OUT}/f32/y.npy", np.array([1, 0, 1, 0], dtype=np.int64))
with open(f"{OUT}/f32/classes.txt", "w") as f:
    f.write("E. coli\nS. aureus\n")

shifts = np.array([1000.0, 900.0, 800.0, 700.0])
table = rng.random((3, 4))
labels = ["quartz", "calcite", "quartz"]
with open(f"{OUT}/table.csv", "w") as f:
    f.write(",".join(f"{s:g}" for s in shifts) + ",label\n")
    for row, label in zip(table, labels):
        f.write(",".join(repr(float(v)) for v in row) + f",{label}\n")

def band(x, centre):
    return np.exp(-0.5 * ((x - centre) / 40.0) ** 2)

first = np.linspace(500.0, 1500.0, 41)
files = {
    "anatase/a.txt": (first, band(first, 800), "space"),
    "anatase/b.txt": (np.linspace(1510.0, 480.0, 57), band(np.linspace(1510.0, 480.0, 57), 820), "tab"),
    "rutile/c.csv": (np.linspace(450.0, 1600.0, 33), band(np.linspace(450.0, 1600.0, 33), 1100), "comma"),
}
expected = {"grid": [float(v) for v in first], "text": {}, "csv_shifts": [float(v) for v in shifts[::-1]],
            "csv": [[float(v) for v in row[::-1]] for row in table], "csv_labels": labels}
for name, (x, y, style) in files.items():
    path = f"{OUT}/text/{name}"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        if style == "comma":
            f.write("# exported by a spectrometer\nRaman Shift (cm-1),Intensity\n")
        for a, b in zip(x, y):
            f.write({"space": f"{a!r} {b!r}\n", "tab": f"{a!r}\t{b!r}  # point\n", "comma": f"{a!r},{b!r}\n"}[style])
    order = np.argsort(x)
    expected["text"][name] = [float(v) for v in np.interp(first, x[order], y[order])]
with open(f"{OUT}/expected.json", "w") as f:
    json.dump(expected, f)
