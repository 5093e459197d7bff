"""Trains the PyTorch twin of Peakformer's Vision Transformer with Peakformer's image recipe, step for step, and saves
it as a Peakformer checkpoint (peakformer_torch.save) that `peakformer evaluate --task image` reads.

    /usr/bin/python3 python/train_vit_torch.py --data /usr/share/datasets/fashion-mnist --hflip --epochs 30 \
        --threads 2 --out vit_torch.safetensors
    ./peakformer evaluate --task image --data /usr/share/datasets/fashion-mnist --models vit_torch.safetensors --out r/

What is the same as `peakformer train --task image` (src/Peakformer/Vision, src/Peakformer/Learning/Training):
- data: the MNIST-layout folder's train- and t10k- IDX files (raw or .gz), pixels b / 255 in float32, then
  (x - 0.5) / 0.5 (ImageTransform); class names from classes.txt, Fashion-MNIST's for a folder so named, else numbers;
- split: StratifiedSplit with Peakformer's generator (xoshiro256** seeded through SplitMix64, ported below), so the
  6,000 validation images are the very ones Peakformer holds out for the same --seed;
- augmentation: ImageExamples' draws, ported: image r of epoch e is shifted by (dx, dy) in [-S, S] and mirrored
  (with --hflip) by the stream Mix(Mix(Mix(seed, "image"), e), r), zero padding: the same shifts as Peakformer's;
- order: epoch e visits the training examples in the order of Peakformer's shuffle with stream (seed, e);
- optimiser: AdamW on every parameter (weights, biases, layer norms, class token, position embedding all decayed,
  as Peakformer's ParameterSet), betas (0.9, 0.999), eps 1e-8, lr 1e-3, weight decay 0.05, no gradient clipping;
- schedule (per epoch, as Trainer.Schedule): linear warm-up lr0 (t + 1) / (W + 1) for epochs t = 0 .. W - 1, then
  CosineAnnealing(T_max = epochs - W, eta_min = lr0 / 100) stepped after each later epoch; lr kept in float32;
- loss: cross-entropy with label smoothing 0.1 (batch mean); validation after every epoch on macro-F1, the best
  epoch (improvement > 1e-7) kept, early stop after --patience epochs without one; the best weights are saved;
- test: accuracy and macro-F1 on the t10k split, as `evaluate --task image` computes them.
What cannot be the same: the initial weights (torchvision's initialisation and PyTorch's generator, not
Peakformer's), dropout masks when dropout > 0, and float rounding (summation order in the kernels).
"""
import argparse
import copy
import gzip
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peakformer_torch as pt  # noqa: E402

FASHION_MNIST = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
DEFAULT_CONFIG = {"image_size": 28, "channels": 1, "patch_size": 7, "layers": 4, "heads": 4, "model": 128,
                  "feed_forward": 256, "dropout": 0.0, "attention_dropout": 0.0, "classes": 10}
AUGMENTATION_STREAM = 0x696d616765  # ImageTrainingData: "image"
M64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


class InputError(Exception):
    pass


# ---- Peakformer's generator (src/Peakformer.Engine/Randomness/Rng.cs): xoshiro256** seeded through SplitMix64 ----

def splitmix(x):
    """(next state, output) of SplitMix64."""
    x = (x + GOLDEN) & M64
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return x, z ^ (z >> 31)


def mix(a, b):
    """Rng.Mix: the seed of stream b of seed a."""
    x = a ^ ((b + GOLDEN + (a << 6) + (a >> 2)) & M64)
    return splitmix(x)[1]


class Rng:
    def __init__(self, seed):
        x, self.s = seed & M64, []
        for _ in range(4):
            x, z = splitmix(x)
            self.s.append(z)

    @staticmethod
    def for_stream(seed, stream):
        return Rng(mix(seed, stream))

    def next_u64(self):
        s0, s1, s2, s3 = self.s
        result = (((((s1 * 5) & M64) << 7 | ((s1 * 5) & M64) >> 57) & M64) * 9) & M64
        t = (s1 << 17) & M64
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = ((s3 << 45) | (s3 >> 19)) & M64
        self.s = [s0, s1, s2, s3]
        return result

    def next_int(self, n):
        return ((self.next_u64() >> 33) * n) >> 31

    def shuffle(self, items):
        """Fisher-Yates in place, as Rng.Shuffle."""
        for i in range(len(items) - 1, 0, -1):
            j = self.next_int(i + 1)
            items[i], items[j] = items[j], items[i]


def _u64(v):
    return np.uint64(v)


def _splitmix_array(x):
    x = x + _u64(GOLDEN)
    z = (x ^ (x >> _u64(30))) * _u64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> _u64(27))) * _u64(0x94D049BB133111EB)
    return x, z ^ (z >> _u64(31))


def _rotl(x, k):
    return (x << _u64(k)) | (x >> _u64(64 - k))


def augmentation_draws(seed, epoch, rows, max_shift, hflip):
    """(dx, dy, flip) of ImageExamples.Draw for every row, vectorised: new Rng(Mix(Mix(seed, epoch), row))."""
    with np.errstate(over="ignore"):
        a = _u64(mix(seed, epoch))
        b = rows.astype(np.uint64)
        x = a ^ (b + _u64(GOLDEN) + (a << _u64(6)) + (a >> _u64(2)))
        _, x = _splitmix_array(x)  # the stream's seed
        s = []
        for _ in range(4):
            x, z = _splitmix_array(x)
            s.append(z)
        draws = []
        for _ in range(3):
            s0, s1, s2, s3 = s
            draws.append(_rotl(s1 * _u64(5), 7) * _u64(9))
            t = s1 << _u64(17)
            s2 = s2 ^ s0
            s3 = s3 ^ s1
            s1 = s1 ^ s2
            s0 = s0 ^ s3
            s2 = s2 ^ t
            s3 = _rotl(s3, 45)
            s = [s0, s1, s2, s3]
        span = _u64(2 * max_shift + 1)
        dx = ((draws[0] >> _u64(33)) * span >> _u64(31)).astype(np.int64) - max_shift
        dy = ((draws[1] >> _u64(33)) * span >> _u64(31)).astype(np.int64) - max_shift
        flip = (draws[2] >> _u64(63)) == 1 if hflip else np.zeros(len(rows), dtype=bool)
    return dx, dy, flip


def stratified_split(labels, fraction, seed):
    """StratifiedSplit.Indices: per class, shuffled by stream (seed, class), round-half-even of fraction * n held out."""
    train, validation = [], []
    for c in sorted(set(labels.tolist())):
        members = np.flatnonzero(labels == c).tolist()
        Rng.for_stream(seed, c).shuffle(members)
        count = round(fraction * len(members))
        validation += members[:count]
        train += members[count:]
    return np.array(sorted(train), dtype=np.int64), np.array(sorted(validation), dtype=np.int64)


# ---- data ----

def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise InputError(f"{path}: magic: expected 00 00 08 (unsigned bytes), found {raw[:4].hex(' ')}")
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(raw[3])]
    body = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * raw[3])
    if body.size != math.prod(dims):
        raise InputError(f"{path}: body: expected {math.prod(dims)} bytes for dimensions {dims}, found {body.size}")
    return body.reshape(dims)


def find(folder, prefix, kind):
    for name in (f"{prefix}-{kind}-ubyte", f"{prefix}-{kind.replace('-', '.')}-ubyte"):
        for suffix in ("", ".gz"):
            if os.path.exists(os.path.join(folder, name + suffix)):
                return os.path.join(folder, name + suffix)
    raise InputError(f"{folder}: expected {prefix}-{kind}-ubyte[.gz], found no such file")


def read_split(folder, prefix, limit):
    """(pixels [N, C, H, W] float32 in [0, 1], labels [N], images path) of the train- or t10k- files."""
    images_path = find(folder, prefix, "images-idx3")
    images, labels = read_idx(images_path), read_idx(find(folder, prefix, "labels-idx1"))
    if images.ndim == 3:
        images = images[:, None]
    if len(labels) != len(images):
        raise InputError(f"{images_path}: expected one label per image ({len(images)}), found {len(labels)}")
    if limit:
        images, labels = images[:limit], labels[:limit]
    return images.astype(np.float32) / np.float32(255), labels.astype(np.int64), images_path


def class_names(folder, classes):
    path = os.path.join(folder, "classes.txt")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            return [line.strip() for line in f if line.strip()]
    if os.path.basename(os.path.normpath(os.path.abspath(folder))).lower().replace("_", "-") in ("fashion-mnist", "fashionmnist"):
        return FASHION_MNIST
    return [str(k) for k in range(classes)]


def augmented(pixels, dx, dy, flip, shift):
    """ImageTransform.Augment on a batch [n, C, H, W]: mirror, move by (dx, dy) with zeros outside, normalise."""
    x = pixels.copy()
    x[flip] = x[flip][..., ::-1]
    n, c, h, w = x.shape
    padded = np.pad(x, ((0, 0), (0, 0), (shift, shift), (shift, shift)))
    ys = np.arange(h)[None, :] - dy[:, None] + shift
    xs = np.arange(w)[None, :] - dx[:, None] + shift
    out = padded[np.arange(n)[:, None, None, None], np.arange(c)[None, :, None, None], ys[:, None, :, None], xs[:, None, None, :]]
    return normalised(out)


def normalised(x):
    return (x - np.float32(pt.IMAGE_MEAN)) / np.float32(pt.IMAGE_STD)


# ---- metrics (ClassificationMetrics: every class of 0 .. K-1, 0 where a ratio has no denominator) ----

def metrics(truth, predicted, classes):
    confusion = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(confusion, (truth, predicted), 1)
    tp = np.diag(confusion).astype(float)
    support, called = confusion.sum(1), confusion.sum(0)
    precision = np.divide(tp, called, out=np.zeros(classes), where=called > 0)
    recall = np.divide(tp, support, out=np.zeros(classes), where=support > 0)
    f1 = np.divide(2 * precision * recall, precision + recall, out=np.zeros(classes), where=precision + recall > 0)
    return {"accuracy": tp.sum() / len(truth), "macro_precision": precision.mean(), "macro_recall": recall.mean(),
            "macro_f1": f1.mean(), "weighted_f1": (f1 * support).sum() / support.sum()}


def evaluate(model, pixels, labels, batch, classes, smoothing):
    model.eval()
    loss_sum, predicted = 0.0, []
    with torch.no_grad():
        for start in range(0, len(labels), batch):
            x = torch.from_numpy(normalised(pixels[start:start + batch]))
            y = torch.from_numpy(labels[start:start + batch])
            logits = model(x)
            loss_sum += F.cross_entropy(logits, y, label_smoothing=smoothing).item() * len(y)
            predicted.append(logits.argmax(1).numpy())
    return loss_sum / len(labels), metrics(labels, np.concatenate(predicted), classes)


# ---- the recipe ----

def learning_rate(epoch, lr0, epochs, warmup, floor):
    """The rate epoch `epoch` (1-based) trains at: LinearWarmup then CosineAnnealing, stepped once per epoch."""
    lr0, floor = np.float32(lr0), np.float32(floor)  # Peakformer keeps its rates in floats
    k = epoch - 1  # schedule steps taken before this epoch
    if warmup > 0 and k < warmup:
        rate = lr0 * np.float32(k + 1) / np.float32(warmup + 1)  # float arithmetic, as LinearWarmup
    elif k == warmup:
        rate = lr0
    else:  # CosineAnnealing: in double from the float rates, then stored as a float
        rate = float(floor) + (float(lr0) - float(floor)) * (1 + math.cos(math.pi * (k - warmup) / (epochs - warmup))) / 2
    return float(np.float32(rate))


def parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="MNIST-layout folder (train- and t10k- IDX files, raw or .gz)")
    p.add_argument("--model", choices=["vit", "vit1d"], default="vit")
    p.add_argument("--model-config", default="", help="JSON over the default config " + json.dumps(DEFAULT_CONFIG))
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--weight-decay", type=float, default=0.05)
    p.add_argument("--warmup-epochs", type=int, default=2)
    p.add_argument("--patience", type=int, default=30, help="epochs without a better validation macro-F1 before stopping (Peakformer's vit recipe: 30, the epoch count)")
    p.add_argument("--validation", type=float, default=0.1)
    p.add_argument("--shift", type=int, default=2)
    p.add_argument("--hflip", action="store_true")
    p.add_argument("--label-smoothing", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--limit", type=int, default=0, help="use only the first N training and N test images (quick trials)")
    p.add_argument("--out", default="vit_torch.safetensors")
    p.add_argument("--force", action="store_true", help="overwrite --out")
    return p.parse_args()


def main():
    a = parse()
    if os.path.exists(a.out) and not a.force:
        raise InputError(f"--out: {a.out} exists (give --force to overwrite it)")
    if not 0 <= a.warmup_epochs < a.epochs:
        raise InputError(f"--warmup-epochs: expected 0 to {a.epochs - 1} (fewer than --epochs), found {a.warmup_epochs}")
    if not 0 <= a.shift < 28:
        raise InputError(f"--shift: expected 0 to 27 pixels, found {a.shift}")
    if not os.path.isdir(a.data):
        raise InputError(f"--data: expected an MNIST-layout folder, found no folder at {a.data}")
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)

    pixels, labels, source = read_split(a.data, "train", a.limit)
    test_pixels, test_labels, _ = read_split(a.data, "t10k", a.limit)
    names = class_names(a.data, int(max(labels.max(), test_labels.max())) + 1)
    _, c, h, w = pixels.shape
    config = dict(DEFAULT_CONFIG, image_size=h, channels=c, classes=len(names))
    try:
        config.update(json.loads(a.model_config) if a.model_config else {})
    except (json.JSONDecodeError, TypeError, ValueError) as e:
        raise InputError(f"--model-config: expected a JSON object, e.g. '{{\"layers\": 2}}' ({e})")
    if (config["image_size"], config["channels"], config["classes"]) != (h, c, len(names)) or h != w:
        raise InputError(f"--model-config: image_size, channels and classes must be the data's ({h}, {c}, {len(names)})")
    model = pt.build(a.model, config)

    train_rows, validation_rows = stratified_split(labels, a.validation, a.seed)
    data = (f"{source}: {len(labels):,} images of {c}x{h}x{w}, {len(names)} classes; "
            f"{len(train_rows):,} for training, {len(validation_rows):,} for validation")
    print(data, flush=True)
    print(f"{a.model} {json.dumps(config)}; {sum(p.numel() for p in model.parameters()):,} parameters; "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads", flush=True)
    augmentation_seed = mix(a.seed, AUGMENTATION_STREAM)
    optimizer = torch.optim.AdamW(model.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=a.weight_decay)
    floor = np.float32(a.lr) / np.float32(100)  # Trainer.Schedule: lr / 100 in float
    history, best, best_epoch, best_state, stale = [], -math.inf, 0, None, 0
    started = time.perf_counter()
    for epoch in range(1, a.epochs + 1):
        clock = time.perf_counter()
        rate = learning_rate(epoch, float(np.float32(a.lr)), a.epochs, a.warmup_epochs, floor)
        for group in optimizer.param_groups:
            group["lr"] = rate
        order = list(range(len(train_rows)))
        Rng.for_stream(a.seed, epoch).shuffle(order)
        order = np.array(order)
        dx, dy, flip = augmentation_draws(augmentation_seed, epoch, train_rows, a.shift, a.hflip)
        model.train()
        loss_sum, correct = 0.0, 0
        for start in range(0, len(order), a.batch):
            chosen = order[start:start + a.batch]
            rows = train_rows[chosen]
            x = torch.from_numpy(augmented(pixels[rows], dx[chosen], dy[chosen], flip[chosen], a.shift))
            y = torch.from_numpy(labels[rows])
            optimizer.zero_grad()
            logits = model(x)
            loss = F.cross_entropy(logits, y, label_smoothing=a.label_smoothing)
            if not math.isfinite(loss.item()):
                raise InputError(f"training: loss became {loss.item()} at epoch {epoch}, step {start // a.batch + 1}")
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(rows)
            correct += int((logits.argmax(1) == y).sum())
        seconds = time.perf_counter() - clock
        val_loss, val = evaluate(model, pixels[validation_rows], labels[validation_rows], a.batch, len(names), a.label_smoothing)
        history.append({"epoch": epoch, "train_loss": loss_sum / len(order), "train_score": correct / len(order),
                        "validation_loss": val_loss, "validation_score": val["accuracy"], "validation_metric": val["macro_f1"],
                        "learning_rate": rate, "seconds": seconds, "validation_metrics": val})
        improved = val["macro_f1"] > best + 1e-7
        if improved:
            best, best_epoch, stale, best_state = val["macro_f1"], epoch, 0, copy.deepcopy(model.state_dict())
        else:
            stale += 1
        print(f"epoch {epoch}/{a.epochs}: lr {rate:.3g} train loss {loss_sum / len(order):.4f} accuracy {correct / len(order):.4f} | "
              f"validation loss {val_loss:.4f} accuracy {val['accuracy']:.4f} macro-F1 {val['macro_f1']:.4f}"
              f"{' (best)' if improved else f' (no improvement for {stale})'} | {seconds:.1f} s, {len(order) / seconds:,.0f} images/s",
              flush=True)
        if stale >= a.patience:
            print(f"early stop: validation macro-F1 has not improved for {a.patience} epochs", flush=True)
            break
    training = time.perf_counter() - started
    model.load_state_dict(best_state)
    _, test = evaluate(model, test_pixels, test_labels, a.batch, len(names), a.label_smoothing)
    settings = pt.training_settings(a.epochs, a.batch, a.lr, a.weight_decay, a.warmup_epochs, a.patience, a.validation, a.seed)
    info = pt.image_info(names, c, h, w, a.shift, a.hflip, a.label_smoothing, data, settings, history, best_epoch, best)
    pt.save(model, a.out, a.model, config, info)
    images = sum(len(train_rows) for _ in history)
    print(f"training {training / 60:.1f} min ({images / training:,.0f} images/s, validation included); best epoch {best_epoch} "
          f"(validation macro-F1 {best:.4f})", flush=True)
    print(f"test ({len(test_labels):,} images): accuracy {test['accuracy']:.4f} macro-F1 {test['macro_f1']:.4f}; checkpoint {a.out}", flush=True)


if __name__ == "__main__":
    try:
        main()
    except (InputError, pt.CheckpointError, OSError, ValueError) as e:  # JSONDecodeError is a ValueError
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
