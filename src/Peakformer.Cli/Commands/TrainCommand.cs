using System.CommandLine;
using Peakformer.Cli.Output;
using Peakformer.DriftChamber.Models;
using Peakformer.DriftChamber.Physics;
using Peakformer.DriftChamber.Windows;
using Peakformer.Engine.Randomness;
using Peakformer.DriftChamber.Training;
using Peakformer.Learning.Models;
using Peakformer.Learning.Training;
using Peakformer.Spectroscopy.Models;
using Peakformer.Spectroscopy.Training;
using Peakformer.Vision.Data;
using Peakformer.Vision.Models;
using Peakformer.Vision.Training;

namespace Peakformer.Cli.Commands;

/// <summary><c>peakformer train</c>: the window and per-bin peak models, the cluster-count models and the image models, with each kind's recipe.</summary>
public static class TrainCommand
{
    /// <summary>--precision as the settings record keeps it: null for fp32 (left out of the JSON), "bf16".</summary>
    private static string? ParsePrecision(string? text)
    {
        try
        {
            return Engine.Kernels.KernelSettings.ParsePrecision(text) == Engine.Kernels.MatrixPrecision.Bf16 ? "bf16" : null;
        }
        catch (ArgumentException)
        {
            throw new InputException($"--precision: expected fp32 or bf16, found '{text}'");
        }
    }

    public static Command Create(Terminal terminal)
    {
        var task = new Option<string>("--task") { Description = $"{ModelRegistry.Either(ModelKinds.All.Tasks)}: what the model does (the models of each are under --model).", DefaultValueFactory = _ => DriftChamberModels.WindowTask };
        var model = new Option<string>("--model") { Description = string.Join("; ", ModelKinds.All.Tasks.Select(t => $"{t} task: {string.Join(", ", ModelKinds.All.InTask(t).Select(k => $"{k.Model} ({k.DisplayName} on {k.Input})"))}")) + ".", DefaultValueFactory = _ => "transformer" };
        var data = new Option<string>("--data") { Description = "Training data: a simulated .npz (split by waveform) or a window .csv (split by EvtNo, so no waveform gives windows to both sides); " +
            "for the image task an MNIST-layout folder, an IDX images file or an image .npz (its training split, split stratified by class); for the map task a TERS map .npz (simulate --domain ters); for the tensor task a tensor set (simulate --domain raman --task tensor).", Required = true };
        var output = new Option<string>("--out") { Description = "Checkpoint (.safetensors); its training state goes beside it (.state).", Required = true };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing checkpoint and its training state (.state)." };
        var resume = new Option<bool>("--resume") { Description = "Continue the run whose state is beside --out." };
        var config = new Option<string?>("--model-config") { Description = "Model config as JSON (snake_case keys), e.g. '{\"layers\": 3}'." };
        var epochs = new Option<int?>("--epochs") { Description = $"Maximum epochs (default {PerKind(r => r.Epochs)})." };
        var batch = new Option<int?>("--batch") { Description = $"Batch size (default {PerKind(r => r.Batch)})." };
        var lr = new Option<float?>("--lr") { Description = $"Learning rate (default {PerKind(r => r.LearningRate)})." };
        var weightDecay = new Option<float?>("--weight-decay") { Description = $"Weight decay (default {PerKind(r => $"{F(r.WeightDecay)} with {r.Optimizer}")})." };
        var schedule = new Option<string?>("--schedule") { Description = $"none, cosine or plateau (default {PerKind(r => r.Schedule)})." };
        var minLr = new Option<float?>("--min-lr") { Description = $"Floor of the cosine and plateau schedules (default {PerKind(r => r.MinLearningRate is { } m ? F(m) : "lr/100")})." };
        var warmup = new Option<int?>("--warmup-epochs") { Description = $"Epochs of linear warm-up before the schedule, fewer than --epochs (default {PerKind(r => r.WarmupEpochs)})." };
        var patience = new Option<int?>("--patience") { Description = $"Early stopping: epochs without a better validation metric (default {PerKind(r => r.Patience)})." };
        var peaksFrom = new Option<string?>("--peaks-from") { Description = "Count transformer input: truth, deriv, d2, deriv:N1,N2,N3,N4, d2:T1,T2 or a peak-model checkpoint (carried inside the count checkpoint)." };
        var tuneData = new Option<string?>("--tune-data") { Description = "Count task: dataset the deriv/d2 thresholds are tuned on (default: published typical values)." };
        var minAuc = new Option<double>("--min-auc") { Description = "Keep a checkpoint only when validation AUC reaches this.", DefaultValueFactory = _ => 0.95 };
        var threshold = new Option<double>("--threshold") { Description = "Decision threshold on the signal probability.", DefaultValueFactory = _ => 0.5 };
        var validation = new Option<double?>("--validation") { Description = $"Fraction held out for validation (default {PerKind(r => r.ValidationFraction)})." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the split, the initial weights, the shuffles and dropout.", DefaultValueFactory = _ => 42 };
        var augmentNoise = new Option<string?>("--augment-noise") { Description = "Peak models: add shift-knob noise to a fraction of the training waveforms, e.g. fraction=0.5,white=0.02,pink=0.02,gain=0.8:1.2,drift=0.05 (seeded by --seed)." };
        var normalise = new Option<bool>("--normalise") { Description = "Peak models: normalise every training waveform (baseline subtracted, noise scaled to the data's median noise, both from the first 25 ns); recorded in the checkpoint, so predict, count, dndx and shift normalise its input too." };
        var maxWaveforms = new Option<int>("--max-waveforms") { Description = "Use at most this many waveforms of an .npz (0: all).", DefaultValueFactory = _ => 0 };
        var tolerance = new Option<int>("--tolerance") { Description = "Window labels: signal when a truth peak is within this many samples.", DefaultValueFactory = _ => DriftChamberConstants.ToleranceSamples };
        var noBalance = new Option<bool>("--no-balance") { Description = "Keep all background windows of an .npz (default: downsample to 1:1, as the reference)." };
        var labelWidth = new Option<int>("--label-width") { Description = "Per-bin targets: bins within this many samples of a truth peak.", DefaultValueFactory = _ => 1 };
        var shift = new Option<int?>("--shift") { Description = $"Image task: random shift of up to this many pixels each way, zero-padded (default {ImageShift})." };
        var hflip = new Option<bool>("--hflip") { Description = "Image task: mirror training images left-right at random; only for data that allows it (clothes, not digits)." };
        var mapAugment = new Option<string?>("--map-augment") { Description = "Map task: training augmentation, items of hflip, vflip, rot90, blur=SIGMA, noise=SIGMA, shift=PIXELS, or none (default hflip,vflip,rot90,blur=1,noise=0.02; seeded per seed, epoch and map)." };
        var preprocess = new Option<string?>("--preprocess") { Description = "Spectrum task: preprocessing steps applied before training, as preprocess --steps (e.g. despike,als:1e5:0.01,savgol:11:3,minmax); saved in the checkpoint, so evaluate and predict apply them again." };
        var augmentSpectra = new Option<string?>("--augment") { Description = $"Spectrum task: on-the-fly augmentation of training spectra, KEY=VALUE items ({SpectrumAugmentation.Keys}), e.g. roll=3,noise=0.01,scale=0.1,offset=0.05,slope=0.05,mixup=0.2 (seeded per spectrum and epoch; default none)." };
        var precision = new Option<string>("--precision") { Description = "Matrix products of training: fp32, or bf16 (operands rounded to bfloat16, float32 sums; weights and optimiser state stay float32). Measured not to help on this CPU; see docs/BENCHMARKS.md.", DefaultValueFactory = _ => "fp32" };
        var symmetryPenalty = new Option<float?>("--symmetry-penalty") { Description = "Tensor task: lambda of the symmetry penalty lambda ||R_hat - R_hat^T||_F^2 added to the sign-invariant MSE (default 0: none)." };
        var posWeight = new Option<float?>("--pos-weight") { Description = "BCE weight of positive targets (perbin default: background/signal bins)." };
        var command = new Command("train", $"Train a peak model ({string.Join(", ", DriftChamberModels.PeakKinds.Select(k => k.DisplayName))}; early stopping on validation AUC)" +
            $", a cluster-count model ({string.Join(", ", DriftChamberModels.CountKinds.Select(k => k.DisplayName))}; on validation MAE) " +
            $"or an image or map model ({string.Join(", ", ModelKinds.All.InTask(VisionModels.ImageTask).Concat(ModelKinds.All.InTask(Spectroscopy.Maps.MapModels.MapTask)).Select(k => k.DisplayName))}; on validation macro-F1).")
        {
            task, model, data, output, force, resume, config, epochs, batch, lr, weightDecay, schedule, minLr, warmup, patience, minAuc, threshold, validation, seed,
            maxWaveforms, augmentNoise, normalise, tolerance, noBalance, labelWidth, posWeight, peaksFrom, tuneData, shift, hflip, mapAugment, preprocess, augmentSpectra, precision, symmetryPenalty,
        };
        var read = new WaveformInputOptions();
        read.AddTo(command);
        var spectra = new SpectrumInputOptions();
        spectra.AddTo(command);
        command.SetAction(parse => CliApp.Guard(terminal, parse, () =>
        {
            // A task with a single kind (tensor: cnn) takes it when --model is not given.
            var only = ModelKinds.All.InTask(parse.GetValue(task)!);
            var kind = parse.GetResult(model) is { Implicit: false } || only.Count != 1 ? ModelKinds.All.For(parse.GetValue(task)!, parse.GetValue(model)!) : only[0];
            if (parse.GetValue(augmentNoise) is not null && !DriftChamberModels.FindsPeaks(kind))
                throw new InputException($"--augment-noise: expected a peak model (window, perbin) to augment, found {kind.Name}");
            if (parse.GetValue(normalise) && !DriftChamberModels.FindsPeaks(kind))
                throw new InputException($"--normalise: expected a peak model (window, perbin) to train on normalised waveforms, found {kind.Name}");
            var recipe = kind.Recipe;
            bool resuming = parse.GetValue(resume);
            string?[] inputs = [.. Data.Waveforms.WaveformSources.InputsOf(parse.GetValue(data)), parse.GetValue(peaksFrom), .. Data.Waveforms.WaveformSources.InputsOf(parse.GetValue(tuneData))];
            string path = resuming ? OutputPath.CheckResumed(parse.GetValue(output)!, "--out", inputs) : OutputPath.Check(parse.GetValue(output)!, parse.GetValue(force), "--out", inputs);
            ulong s = parse.GetValue(seed);
            if (!resuming && !parse.GetValue(force) && File.Exists(TrainState.PathFor(path)))
                throw new InputException($"{TrainState.PathFor(path)}: the training state of an earlier run is there (continue it with --resume, or start over with --force)");
            if (!resuming) OutputPath.Check(TrainState.PathFor(path), parse.GetValue(force), "--out (its training state)");
            Finite.Count("--max-waveforms", parse.GetValue(maxWaveforms), 0, int.MaxValue);
            Finite.Count("--label-width", parse.GetValue(labelWidth), 0, DriftChamber.Windows.WindowOptions.MaxToleranceSamples);
            // Checked for every task, so a NaN is never accepted and silently ignored.
            Finite.OpenUnit("--threshold", parse.GetValue(threshold));
            Finite.InRange("--min-auc", parse.GetValue(minAuc), 0, 1);
            Finite.Count("--tolerance", parse.GetValue(tolerance), 0, WindowOptions.MaxToleranceSamples);
            if (parse.GetValue(posWeight) is { } w) Finite.Positive("--pos-weight", w, 1e6);
            // The kind's recipe, with what the user set.
            int epochCount = parse.GetValue(epochs) ?? recipe.Epochs;
            // A short run against the recipe's warm-up: say which option helps rather than name one the user never set.
            if (parse.GetValue(warmup) is null && recipe.WarmupEpochs >= epochCount && epochCount > 0)
                throw new InputException($"--epochs: the {kind.Name} recipe warms up for {recipe.WarmupEpochs} epochs, so it needs at least {recipe.WarmupEpochs + 1}, " +
                    $"found {epochCount}; give --warmup-epochs {Math.Max(0, epochCount - 1)} for a shorter run");
            var chosen = recipe with
            {
                Epochs = epochCount,
                Batch = parse.GetValue(batch) ?? recipe.Batch,
                LearningRate = parse.GetValue(lr) ?? recipe.LearningRate,
                WeightDecay = parse.GetValue(weightDecay) ?? recipe.WeightDecay,
                Schedule = parse.GetValue(schedule) ?? recipe.Schedule,
                MinLearningRate = parse.GetValue(minLr) ?? recipe.MinLearningRate,
                WarmupEpochs = parse.GetValue(warmup) ?? recipe.WarmupEpochs,
                Patience = parse.GetValue(patience) ?? recipe.Patience,
                ValidationFraction = parse.GetValue(validation) ?? recipe.ValidationFraction,
                Seed = s,
                Precision = ParsePrecision(parse.GetValue(precision)),
            };
            bool tensor = kind.Task == Spectroscopy.Tensors.TensorModels.TensorTask;
            if (!tensor && parse.GetValue(symmetryPenalty) is not null)
                throw new InputException("--symmetry-penalty belongs to the tensor task (--task tensor)");
            if (tensor)
            {
                if (parse.GetValue(preprocess) is not null || parse.GetValue(augmentSpectra) is not null || parse.GetValue(peaksFrom) is not null || parse.GetValue(tuneData) is not null)
                    throw new InputException("--preprocess, --augment, --peaks-from and --tune-data do not apply to the tensor task");
                float lambda = parse.GetValue(symmetryPenalty) ?? 0f;
                var fitted = terminal.WithProgress(progress => Spectroscopy.Tensors.TensorTraining.Run(kind, parse.GetValue(config), parse.GetValue(data)!, lambda, chosen, path, resuming, progress));
                terminal.Line($"best validation RMSE {fitted.BestMetric:F4} at epoch {fitted.BestEpoch} (symmetry penalty {lambda.ToString(System.Globalization.CultureInfo.InvariantCulture)}); checkpoint {path}");
                return 0;
            }
            bool spectrum = kind.Task == SpectrumModels.SpectrumTask;
            if (!spectrum && (parse.GetValue(preprocess) is not null || parse.GetValue(augmentSpectra) is not null))
                throw new InputException("--preprocess and --augment belong to the spectrum task (--task spectrum)");
            if (spectrum)
            {
                if (parse.GetValue(peaksFrom) is not null || parse.GetValue(tuneData) is not null)
                    throw new InputException("--peaks-from and --tune-data belong to the count task (--task count)");
                var augmentation = SpectrumAugmentation.Parse(parse.GetValue(augmentSpectra) ?? "");
                var trained = terminal.WithProgress(progress => SpectrumTraining.Run(kind, parse.GetValue(config), parse.GetValue(data)!, spectra.Read(parse), parse.GetValue(preprocess),
                    augmentation, chosen, path, resuming, progress));
                terminal.Line($"best validation macro-F1 {trained.BestMetric:F4}{(trained.BestEpoch > 0 ? $" at epoch {trained.BestEpoch}" : "")}; checkpoint {path}" +
                    (parse.GetValue(preprocess) is { } p ? $" (its preprocessing, applied again by evaluate and predict: {p})" : ""));
                return 0;
            }
            // Image and map kinds: the Vision Transformer, trained by ImageTraining.
            bool image = kind.ConfigType == typeof(VisionTransformerConfig);
            bool map = kind.Task == Spectroscopy.Maps.MapModels.MapTask;
            if ((!image || map) && (parse.GetValue(shift) is not null || parse.GetValue(hflip)))
                throw new InputException($"--shift and --hflip belong to the image task (--task image){(map ? "; the map task's are in --map-augment" : "")}");
            if (!map && parse.GetValue(mapAugment) is not null)
                throw new InputException("--map-augment belongs to the map task (--task map)");
            if (image)
            {
                var augmentation = map
                    ? parse.GetValue(mapAugment) is { } spec ? ImageAugmentation.Parse(spec, "--map-augment") : ImageAugmentation.MapDefault
                    : new ImageAugmentation(parse.GetValue(shift) ?? ImageShift, parse.GetValue(hflip));
                var (trained, set) = terminal.WithProgress(progress => ImageTraining.Run(kind, parse.GetValue(config), parse.GetValue(data)!, augmentation, chosen, path, resuming, progress));
                terminal.Line($"best validation macro-F1 {trained.BestMetric:F4} at epoch {trained.BestEpoch} ({set.Classes} classes); checkpoint {path}");
                return 0;
            }
            if (DriftChamberModels.CountsClusters(kind))
            {
                var countSettings = chosen;
                countSettings.Validate();
                var options = new CountTrainingOptions
                {
                    DataPath = parse.GetValue(data)!,
                    Read = read.Read(parse),
                    PeaksFrom = parse.GetValue(peaksFrom),
                    TuneDataPath = parse.GetValue(tuneData),
                    MaxWaveforms = parse.GetValue(maxWaveforms),
                };
                var (counted, info) = terminal.WithProgress(progress => CountTraining.Run(kind, parse.GetValue(config), options, countSettings, path, resuming, progress));
                terminal.Line($"best validation MAE {counted.BestMetric:F3} clusters at epoch {counted.BestEpoch}" +
                    (info is null ? "" : $" (constant mean {info.ValidationMaeConstantMean:F3}" +
                        (info.ValidationMaePeakLine is { } l ? $", least squares on peaks {l:F3}" : "") + ")") + $"; checkpoint {path}");
                return 0;
            }
            var settings = chosen with { MinAuc = parse.GetValue(minAuc), Threshold = parse.GetValue(threshold) };
            settings.Validate();
            if (parse.GetValue(peaksFrom) is not null || parse.GetValue(tuneData) is not null)
                throw new InputException("--peaks-from and --tune-data belong to the count task (--task count)");
            var peakModel = DriftChamberModels.Create(kind.Name, parse.GetValue(config), new Rng(s), "--model-config");
            var dataOptions = new TrainingDataOptions
            {
                Windows = new WindowOptions { Balance = !parse.GetValue(noBalance), ToleranceSamples = parse.GetValue(tolerance), Seed = s },
                LabelWidth = parse.GetValue(labelWidth),
                MaxWaveforms = parse.GetValue(maxWaveforms),
                Augmentation = parse.GetValue(augmentNoise) is { } augment ? NoiseAugmentation.Parse(augment, s) : null,
                Read = read.Read(parse),
                Normalise = parse.GetValue(normalise),
            };
            dataOptions.Windows.Validate();
            var result = terminal.WithProgress(progress => PeakTraining.Run(peakModel, parse.GetValue(data)!, dataOptions, settings, path,
                parse.GetValue(posWeight), resuming, progress));
            if (!result.Saved)
            {
                // The reference study's rate learns slowly: in a short run it is the usual reason nothing was kept.
                string hint = settings.LearningRate <= 3e-5f && settings.Epochs < 40
                    ? $"; --lr {settings.LearningRate:G2} is the reference study's rate for up to 80 epochs: a short run needs about --lr 3e-4 (or a lower --min-auc)"
                    : "";
                throw new InputException($"no checkpoint written: best validation AUC {result.BestMetric:F4} (epoch {result.BestEpoch}) stayed below --min-auc {settings.MinAuc}{hint}");
            }
            terminal.Line($"best validation AUC {result.BestMetric:F4} at epoch {result.BestEpoch}; checkpoint {path}");
            return 0;
        }));
        return command;
    }

    /// <summary>"window-transformer 80, window-lstm 80, ...": a default of every kind's recipe, for the help text.</summary>
    private static string PerKind(Func<TrainingSettings, object> value) =>
        string.Join(", ", ModelKinds.All.Kinds.Select(k => $"{k.Name} {Convert.ToString(value(k.Recipe), System.Globalization.CultureInfo.InvariantCulture)}"));

    /// <summary>The image task's default shift: 2 pixels, as torchvision's RandomCrop(28, padding=2) on 28x28 images.</summary>
    private const int ImageShift = 2;

    private static string F(float value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
