"""Writes the golden file the k-nearest-neighbours tests compare against (scikit-learn as the reference).

Run with Debian's scikit-learn (apt-get install -y python3-sklearn):
    /usr/bin/python3 tools/golden/make_knn_golden.py tests/Peakformer.Tests/Golden

knn_golden.json holds, for k in 1, 3, 5 and 7, scikit-learn's KNeighborsClassifier(n_neighbors=k, weights='uniform',
algorithm='brute', metric='euclidean') fitted on the same float32 training spectra (4 classes of noisy band shapes,
so neighbours overlap between classes), and its predict and predict_proba on query spectra. Values are continuous
random draws, so no two distances tie.
"""
import json, sys
import numpy as np
from sklearn.neighbors import KNeighborsClassifier

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
rng = np.random.default_rng(20261201)
LENGTH, CLASSES, TRAIN, QUERIES = 24, 4, 80, 40
x = np.linspace(0, 1, LENGTH)
centres = rng.uniform(0.1, 0.9, size=(CLASSES, 2))


def spectra(n):
    labels = rng.integers(0, CLASSES, size=n)
    rows = []
    for c in labels:
        s = sum(np.exp(-0.5 * ((x - m - rng.normal(0, 0.05)) / 0.08) ** 2) for m in centres[c])
        rows.append(s + rng.normal(0, 0.3, size=LENGTH))
    return np.asarray(rows, dtype=np.float32), labels


train_x, train_y = spectra(TRAIN)
query_x, query_y = spectra(QUERIES)
cases = []
for k in (1, 3, 5, 7):
    model = KNeighborsClassifier(n_neighbors=k, weights="uniform", algorithm="brute", metric="euclidean").fit(train_x, train_y)
    cases.append({"k": k, "predicted": model.predict(query_x).tolist(),
                  "probabilities": model.predict_proba(query_x).astype(float).ravel().tolist()})
with open(f"{OUT}/knn_golden.json", "w") as f:
    json.dump({"length": LENGTH, "classes": CLASSES, "train_x": train_x.astype(float).ravel().tolist(), "train_y": train_y.tolist(),
               "query_x": query_x.astype(float).ravel().tolist(), "query_y": query_y.tolist(), "cases": cases}, f)
print("wrote knn_golden.json;", [(c["k"], float(np.mean(np.array(c["predicted"]) == query_y))) for c in cases])
