"""Writes the scikit-learn golden file the Learning metric tests compare against.

Run with Debian's scikit-learn (apt-get install -y python3-sklearn):
    /usr/bin/python3 tools/golden/make_sklearn_golden.py tests/Peakformer.Tests/Golden

sklearn_metrics.json holds, for each case, its inputs and sklearn's outputs:
    roc             roc_auc_score and roc_curve(drop_intermediate=False) with tied scores; tpr_at_fpr is the highest
                    tpr of roc_curve's points with fpr <= target (sklearn has no function for it)
    roc_single      one class in y_true: sklearn raises (the message is stored), Peakformer must too
    classification  accuracy_score, precision_recall_fscore_support (average None/'macro'/'weighted',
                    zero_division=0), f1_score and confusion_matrix, incl. a class absent from the predictions
                    and a class absent from the truth
    regression      mean_absolute_error and mean_squared_error; bias mean(pred - true) and resolution
                    std(pred - true) / mean(true) (numpy, population std) are not sklearn functions
ROC scores are rounded to float32 before sklearn sees them (the C# ROC reads float scores), so both sides rank
the same numbers; most are multiples of 1/16, to make ties.
"""
import json, os, sys
import numpy as np
import sklearn
from sklearn import metrics

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
rng = np.random.default_rng(20261130)


def floats(a):
    return [float(x) for x in a]


def ints(a):
    return [int(x) for x in a]


def roc_case(name, labels, scores, targets=(0.0, 0.1, 0.25, 0.5)):
    labels, scores = np.asarray(labels), np.asarray(scores, dtype=np.float32).astype(np.float64)
    fpr, tpr, thr = metrics.roc_curve(labels, scores, drop_intermediate=False)
    return {
        "name": name, "labels": ints(labels), "scores": floats(scores),
        "auc": float(metrics.roc_auc_score(labels, scores)),
        "fpr": floats(fpr), "tpr": floats(tpr),
        # sklearn 1.2 puts max(score) + 1 first where Peakformer puts +infinity: compare from the second point on.
        "thresholds": floats(thr[1:]),
        "tpr_at_fpr": [{"fpr": t, "tpr": float(tpr[fpr <= t].max())} for t in targets],
    }


def classification_case(name, truth, predicted, labels=None):
    truth, predicted = np.asarray(truth), np.asarray(predicted)
    p, r, f, s = metrics.precision_recall_fscore_support(truth, predicted, labels=labels, average=None, zero_division=0)
    case = {
        "name": name, "truth": ints(truth), "predicted": ints(predicted),
        "classes": ints(labels) if labels is not None else ints(np.unique(np.concatenate([truth, predicted]))),
        "given_classes": labels is not None,
        "accuracy": float(metrics.accuracy_score(truth, predicted)),
        "precision": floats(p), "recall": floats(r), "f1": floats(f), "support": ints(s),
        "confusion": [ints(row) for row in metrics.confusion_matrix(truth, predicted, labels=labels)],
    }
    for average in ("macro", "weighted"):
        pa, ra, fa, _ = metrics.precision_recall_fscore_support(truth, predicted, labels=labels, average=average, zero_division=0)
        fs = metrics.f1_score(truth, predicted, labels=labels, average=average, zero_division=0)
        assert abs(fs - fa) <= 1e-15 * max(1.0, abs(fa)), (name, average, fs, fa)
        case[average] = {"precision": float(pa), "recall": float(ra), "f1": float(fa), "f1_score": float(fs)}
    return case


def regression_case(name, truth, predicted):
    truth, predicted = np.asarray(truth, dtype=np.float64), np.asarray(predicted, dtype=np.float64)
    d = predicted - truth
    return {
        "name": name, "truth": floats(truth), "predicted": floats(predicted),
        "mae": float(metrics.mean_absolute_error(truth, predicted)),
        "mse": float(metrics.mean_squared_error(truth, predicted)),
        "bias": float(d.mean()),
        "resolution": float(d.std() / truth.mean()),
    }


roc = [
    roc_case("textbook", [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]),
    roc_case("ties within and across classes", [0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0],
             [0.5, 0.5, 0.75, 0.25, 0.5, 0.75, 0.0, 1.0, 0.25, 0.25, 0.5, 0.5]),
    roc_case("all scores tied", [0, 1, 0, 1, 1], [0.5] * 5),
]
n = 200
labels = (rng.random(n) < 0.35).astype(int)
scores = np.round((rng.random(n) * 0.7 + 0.3 * labels) * 16) / 16          # coarse: many ties
roc.append(roc_case("200 coarse scores", labels, scores, targets=(0.01, 0.05, 0.1, 0.3)))

try:
    metrics.roc_auc_score([1, 1, 1], [0.25, 0.5, 0.75])
    single = None
except ValueError as e:
    single = str(e)
assert single is not None

classification = [
    classification_case("class 2 absent from the predictions", [0, 1, 2, 2, 1, 0, 2, 1, 0, 2], [0, 1, 1, 0, 1, 0, 1, 1, 0, 0]),
    classification_case("class 3 absent from the truth", [0, 1, 2, 0, 1, 2, 0, 1], [0, 3, 2, 0, 1, 3, 1, 1]),
    classification_case("a class in neither, given explicitly", [1, 0, 1, 1, 0], [1, 1, 1, 0, 0], labels=[0, 1, 2]),
    classification_case("a single class", [1, 1, 1, 1], [1, 1, 1, 1]),
    classification_case("binary", [0, 1, 1, 0, 1, 0, 1, 1], [0, 1, 0, 0, 1, 1, 1, 1]),
]
truth = rng.integers(0, 5, 60)
predicted = np.where(rng.random(60) < 0.6, truth, rng.integers(0, 5, 60))
classification.append(classification_case("60 examples of 5 classes", truth, predicted))

counts = np.round(rng.random(60) * 40 + 10)
regression = [
    regression_case("counts", [2, 2, 3], [1, 2, 6]),
    regression_case("60 noisy values", counts, counts + rng.normal(0.5, 3, 60)),
]

golden = {
    "generator": "tools/golden/make_sklearn_golden.py",
    "sklearn": sklearn.__version__, "numpy": np.__version__,
    "roc": roc,
    "roc_single_class": {"labels": [1, 1, 1], "scores": [0.25, 0.5, 0.75], "sklearn_error": single},
    "classification": classification,
    "regression": regression,
}
with open(os.path.join(OUT, "sklearn_metrics.json"), "w") as f:
    json.dump(golden, f, indent=1)
    f.write("\n")
