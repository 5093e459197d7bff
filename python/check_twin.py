"""The Python half of the twin tests (tests/Peakformer.Tests/Interop/TorchTwinTests.cs runs it with /usr/bin/python3):

    check_twin.py logits CKPT IMAGES.npy OUT.npy
        loads CKPT into its twin (peakformer_torch.load, strict=True) and writes the eval-mode logits of IMAGES
        ([N, C, H, W] float32, normalised) to OUT.npy; a checkpoint that does not match exits 1 naming the tensor.
    check_twin.py make KIND CONFIG_JSON SEED OUT.safetensors IMAGES.npy LOGITS.npy
        builds the twin of KIND, moves its weights away from torchvision's initial ones (zero head, zero class token,
        unit layer norms), saves it with peakformer_torch.save and writes its logits of IMAGES.
    check_twin.py recipe LABELS.npy IMAGES.npy SEED EPOCHS WARMUP SHIFT OUT.json AUGMENTED.npy
        the training recipe's port in train_vit_torch.py: stratified 90/10 split, the shuffled order of epochs 1
        and 2, epoch 1's augmentation draws (with mirroring) and its augmented training images, the rate of every
        epoch; for the test to compare with Peakformer's own split, shuffle, draws and schedule.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peakformer_torch as pt  # noqa: E402
import train_vit_torch as recipe  # noqa: E402


def logits_of(model, images_path):
    with torch.no_grad():
        return model(torch.from_numpy(np.load(images_path).astype(np.float32))).numpy()


def main(argv):
    command = argv[0]
    if command == "logits":
        checkpoint, images, out = argv[1:4]
        model, _ = pt.load(checkpoint)
        np.save(out, logits_of(model, images))
    elif command == "make":
        kind, config, seed, out, images, logits = argv[1:7]
        config = json.loads(config)
        torch.manual_seed(int(seed))
        model = pt.build(kind, config)
        with torch.no_grad():
            for p in model.parameters():
                p.add_(0.2 * torch.randn_like(p))
        model.eval()
        # The whole record train_vit_torch.py writes: settings and an epoch of history with its validation figures.
        figures = {"accuracy": 0.5, "macro_precision": 0.5, "macro_recall": 0.5, "macro_f1": 0.25, "weighted_f1": 0.25}
        epoch = {"epoch": 1, "train_loss": 1.5, "train_score": 0.4, "validation_loss": 1.4, "validation_score": 0.5,
                 "validation_metric": 0.25, "learning_rate": 0.001, "seconds": 1.0, "validation_metrics": figures}
        settings = pt.training_settings(3, 128, 1e-3, 0.05, 2, 15, 0.1, 42)
        info = pt.image_info([f"class {k}" for k in range(config["classes"])], config["channels"], config["image_size"],
                             config["image_size"], 2, True, 0.1, "check_twin.py make", settings, [epoch], 1, 0.25)
        pt.save(model, out, kind, config, info)
        np.save(logits, logits_of(model, images))
    elif command == "recipe":
        labels, images, seed, epochs, warmup, shift, out, augmented = argv[1:9]
        labels, pixels = np.load(labels).astype(np.int64), np.load(images).astype(np.float32)
        seed, epochs, warmup, shift = int(seed), int(epochs), int(warmup), int(shift)
        train, validation = recipe.stratified_split(labels, 0.1, seed)
        orders = {}
        for epoch in (1, 2):
            order = list(range(len(train)))
            recipe.Rng.for_stream(seed, epoch).shuffle(order)
            orders[epoch] = order
        dx, dy, flip = recipe.augmentation_draws(recipe.mix(seed, recipe.AUGMENTATION_STREAM), 1, train, shift, True)
        np.save(augmented, recipe.augmented(pixels[train], dx, dy, flip, shift))
        rates = [recipe.learning_rate(e, 1e-3, epochs, warmup, np.float32(1e-3) / np.float32(100)) for e in range(1, epochs + 1)]
        with open(out, "w") as f:
            json.dump({"train": train.tolist(), "validation": validation.tolist(), "order1": orders[1], "order2": orders[2],
                       "dx": dx.tolist(), "dy": dy.tolist(), "flip": flip.tolist(), "rates": rates}, f)
    else:
        raise SystemExit(f"check_twin.py: unknown command {command} (logits, make or recipe)")


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except pt.CheckpointError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
