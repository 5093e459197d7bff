"""What one glance at a TERS map tells: logistic regression (scikit-learn) on a map set's held-out maps from
    grey     the channel-mean map's mean, standard deviation, maximum and bright fraction (> 0.3)
    greypix  the channel-mean map's raw pixels
    ratio    each channel's share of the map's total intensity (what tells the classes apart)

    /usr/bin/python3 tools/examples/ters_glance.py ters.npz ters-test.npz
"""
import sys
import numpy as np
from sklearn.linear_model import LogisticRegression

train, test = np.load(sys.argv[1]), np.load(sys.argv[2])


def features(maps, kind):
    grey = maps.mean(1)
    if kind == "grey":
        return np.stack([grey.mean((1, 2)), grey.std((1, 2)), grey.max((1, 2)), (grey > 0.3).mean((1, 2))], 1)
    if kind == "greypix":
        return grey.reshape(len(grey), -1)
    totals = maps.sum((2, 3))
    return totals / totals.sum(1, keepdims=True)


for kind in ["grey", "greypix", "ratio"]:
    model = LogisticRegression(max_iter=2000).fit(features(train["maps"], kind), train["y"])
    print(f"{kind}: accuracy {model.score(features(test['maps'], kind), test['y']):.4f} on {len(test['y'])} held-out maps")
