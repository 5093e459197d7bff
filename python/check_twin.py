"""The Python half of the twin tests (tests/Peakformer.Tests/Vision/TorchTwinTests.cs and
tests/Peakformer.Tests/DriftChamber/DriftChamberTwinTests.cs run it with /usr/bin/python3):

    check_twin.py logits CKPT INPUTS.npy OUT.npy
        loads CKPT into its twin (peakformer_torch.load, strict=True) and writes the eval-mode outputs of INPUTS
        (images [N, C, H, W] normalised, windows [N, W] mean-subtracted, waveforms [N, L] or peak tokens [N, 480])
        to OUT.npy; a checkpoint that does not match exits 1 naming the tensor.
    check_twin.py make KIND CONFIG_JSON SEED OUT.safetensors INPUTS.npy OUTPUTS.npy
        builds the twin of KIND (PyTorch's initialisation, seeded), moves its weights away from their initial values
        (zero biases and heads, unit layer norms), saves it with peakformer_torch.save and writes its outputs of INPUTS.
    check_twin.py step CKPT INPUTS.npy TARGETS.npy SETTINGS_JSON OUT.safetensors
        one optimiser step in train mode (peakformer_torch.loss_function and .optimizer with the training_settings
        SETTINGS_JSON, its positive_weight for the BCE): writes the weights after the step under their names, the
        gradients of the step under "grad.<name>" and the loss in the metadata ("loss").
    check_twin.py finetune CKPT INPUTS.npy TARGETS.npy STEPS BATCH SETTINGS_JSON EVAL.npy EVAL_TARGETS.npy OUT.safetensors SCORES.npy METRIC.json
        STEPS steps on consecutive batches of BATCH examples, then saves the model with peakformer_torch.save (its
        info record kept, a count model's carried peak model too), writes its eval-mode outputs of EVAL and the
        metric Peakformer stops training on, computed here with numpy: AUC of the sigmoid scores (peak kinds) or
        MAE in clusters (count kinds), with the eval loss.
    check_twin.py recipe LABELS.npy IMAGES.npy SEED EPOCHS WARMUP SHIFT OUT.json AUGMENTED.npy
        the training recipe's port in train_vit_torch.py: stratified 90/10 split, the shuffled order of epochs 1
        and 2, epoch 1's augmentation draws (with mirroring) and its augmented training images, the rate of every
        epoch; for the test to compare with Peakformer's own split, shuffle, draws and schedule.
    check_twin.py tensor CKPT EXAMPLES.npy TARGETS.npy LAMBDA OUT.npz
        a Raman tensor model (tests/Peakformer.Tests/Spectroscopy/Tensors/TensorTwinTests.cs): its eval-mode outputs of
        EXAMPLES [N, C, L], peakformer_torch.tensor_loss against TARGETS [N, 9] with symmetry penalty LAMBDA, and
        the loss's gradient by the outputs (PyTorch's autograd through torch.minimum), as outputs, loss, grad.
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


def make_info(kind, config):
    """The whole info record of the kind's task, with settings and an epoch of history."""
    task = pt.KINDS[kind].task
    settings = pt.training_settings(3, 128, 1e-3, 0.05, 2, 15, 0.1, 42)
    if task == pt.IMAGE_TASK:
        # The whole record train_vit_torch.py writes: settings and an epoch of history with its validation figures.
        figures = {"accuracy": 0.5, "macro_precision": 0.5, "macro_recall": 0.5, "macro_f1": 0.25, "weighted_f1": 0.25}
        epoch = {"epoch": 1, "train_loss": 1.5, "train_score": 0.4, "validation_loss": 1.4, "validation_score": 0.5,
                 "validation_metric": 0.25, "learning_rate": 0.001, "seconds": 1.0, "validation_metrics": figures}
        return pt.image_info([f"class {k}" for k in range(config["classes"])], config["channels"], config["image_size"],
                             config["image_size"], 2, True, 0.1, "check_twin.py make", settings, [epoch], 1, 0.25)
    epoch = {"epoch": 1, "train_loss": 0.5, "train_score": 0.7, "validation_loss": 0.6, "validation_score": 0.6,
             "validation_metric": 0.75, "learning_rate": 0.001, "seconds": 1.0}
    if task == pt.COUNT_TASK:
        return pt.count_info(config["target_mean"], "truth" if kind == "count-transformer" else "", "check_twin.py make",
                             settings, [epoch], 1, 0.75, validation_mae_constant_mean=2.5)
    return pt.peak_info(task, 0.5, "check_twin.py make", settings, [epoch], 1, 0.75, label_width=2)


def outputs_of(model, inputs):
    with torch.no_grad():
        return model(torch.from_numpy(np.asarray(inputs, dtype=np.float32))).numpy()


def auc(scores, labels):
    """Area under the ROC curve: the probability that a positive scores above a negative, ties counting half."""
    scores, labels = np.asarray(scores, dtype=np.float64), np.asarray(labels) > 0.5
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    positives, negatives = labels.sum(), (~labels).sum()
    return float((ranks[labels].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def train_step(model, kind, optimiser, loss, inputs, targets, settings):
    optimiser.zero_grad()
    value = loss(model(inputs), targets)
    value.backward()
    if settings.get("clip_norm", 0) > 0:
        torch.nn.utils.clip_grad_norm_(model.parameters(), settings["clip_norm"])
    optimiser.step()
    return float(value)


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
        pt.save(model, out, kind, config, make_info(kind, config))
        np.save(logits, logits_of(model, images))
    elif command == "step":
        checkpoint, inputs, targets, settings, out = argv[1:6]
        settings = json.loads(settings)
        model, metadata = pt.load(checkpoint)
        kind = metadata[pt.KIND_KEY]
        model.train()
        loss = pt.loss_function(kind, settings.get("positive_weight", 1.0))
        optimiser = pt.optimizer(model, settings)
        x, y = (torch.from_numpy(np.load(f).astype(np.float32)) for f in (inputs, targets))
        value = train_step(model, kind, optimiser, loss, x, y, settings)
        tensors = dict(model.state_dict())
        tensors.update({f"grad.{name}": p.grad for name, p in model.named_parameters()})
        pt.write_safetensors(out, tensors, {"loss": repr(value)})
    elif command == "finetune":
        checkpoint, inputs, targets, steps, batch, settings, evaluation, evaluation_targets, out, scores, metric = argv[1:12]
        settings, steps, batch = json.loads(settings), int(steps), int(batch)
        model, metadata = pt.load(checkpoint)
        kind = metadata[pt.KIND_KEY]
        loss = pt.loss_function(kind, settings.get("positive_weight", 1.0))
        optimiser = pt.optimizer(model, settings)
        x, y = (torch.from_numpy(np.load(f).astype(np.float32)) for f in (inputs, targets))
        model.train()
        for step in range(steps):
            rows = torch.arange(step * batch, (step + 1) * batch) % len(x)
            train_step(model, kind, optimiser, loss, x[rows], y[rows], settings)
        model.eval()
        info = pt.info_of(metadata)
        info["data"] = f"{info.get('data', '')}; fine-tuned in PyTorch for {steps} steps of {batch}"
        pt.save(model, out, kind, pt.config_of(metadata), info, pt.carried(checkpoint))
        ex = np.load(evaluation).astype(np.float32)
        ey = np.load(evaluation_targets).astype(np.float32)
        outputs = outputs_of(model, ex)
        np.save(scores, outputs)
        with torch.no_grad():
            evaluation_loss = float(loss(torch.from_numpy(outputs), torch.from_numpy(ey)))
        if pt.KINDS[kind].task == pt.COUNT_TASK:
            value = float(np.mean(np.abs(outputs.astype(np.float64) - ey) * model.target_scale))
        else:
            value = auc(1 / (1 + np.exp(-outputs.astype(np.float64).ravel())), ey.ravel())
        with open(metric, "w") as f:
            json.dump({"metric": value, "loss": evaluation_loss}, f)
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
    elif command == "tensor":
        # A tensor model's outputs on examples [N, C, L], and tensor_loss with its gradient by the outputs.
        checkpoint, examples, targets, penalty, out = argv[1:6]
        model, _ = pt.load(checkpoint)
        x, t = (torch.from_numpy(np.load(f).astype(np.float32)) for f in (examples, targets))
        with torch.no_grad():
            y = model(x)
        y.requires_grad_(True)
        value = pt.tensor_loss(y, t, float(penalty))
        value.backward()
        np.savez(out, outputs=y.detach().numpy(), loss=np.array([value.item()], dtype=np.float64), grad=y.grad.numpy())
    else:
        raise SystemExit(f"check_twin.py: unknown command {command} (logits, make, step, finetune, recipe or tensor)")


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except pt.CheckpointError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
