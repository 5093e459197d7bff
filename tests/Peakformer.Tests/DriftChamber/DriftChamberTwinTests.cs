using System.Globalization;
using System.Text.Json;
using Peakformer.Data.Npy;
using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Counting;
using Peakformer.DriftChamber.Models;
using Peakformer.DriftChamber.Training;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Models;
using Peakformer.Learning.Objectives;
using Peakformer.Learning.Splits;
using Peakformer.Learning.Training;
using Peakformer.Progress;
using Peakformer.Tests.Cli;
using Peakformer.Tests.Support;
using Xunit.Abstractions;

namespace Peakformer.Tests.DriftChamber;

/// <summary>
/// The PyTorch twins of the drift-chamber models (python/peakformer_torch.py, run by python/check_twin.py under
/// Debian's PyTorch 1.13), on windows, records and peak tokens of simulated waveforms and on random inputs: a
/// Peakformer checkpoint gives Peakformer's outputs in its twin; a state dict made in PyTorch loads strictly in
/// Peakformer and gives PyTorch's outputs; one optimiser step of each, from the same weights on the same batch with
/// the kind's training loss, gives the same gradients and weights; a model fine-tuned in PyTorch evaluates in
/// Peakformer (Trainer.Validate, what training reports) to PyTorch's outputs, loss and metric (AUC or MAE).
/// Every comparison within 1e-5 (gradients within 1e-5 of their largest magnitude).
/// </summary>
public class DriftChamberTwinTests(DriftChamberTwinTests.Data data, ITestOutputHelper output) : IClassFixture<DriftChamberTwinTests.Data>
{
    /// <summary>Small models with every structural option the kinds have; no dropout, so a training step is deterministic in both.</summary>
    private static readonly Dictionary<string, string> Configs = new()
    {
        ["window-transformer"] = """{"model": 16, "heads": 2, "layers": 2, "feed_forward": 24, "head_hidden": 12, "attention_dropout": 0, "feed_forward_dropout": 0, "activation": "gelu", "norm_first": false}""",
        ["window-transformer-prenorm"] = """{"model": 12, "heads": 3, "layers": 1, "feed_forward": 20, "head_hidden": 8, "attention_dropout": 0, "feed_forward_dropout": 0, "activation": "relu", "norm_first": true}""",
        ["window-lstm"] = """{"hidden": 8, "dense": 6}""",
        ["perbin-transformer"] = """{"embedding_kernel": 5, "model": 16, "heads": 2, "layers": 1, "feed_forward": 24, "attention_dropout": 0, "feed_forward_dropout": 0, "activation": "gelu", "norm_first": false}""",
        // Patch 7 does not divide the 1,200-sample records: the padding and the cut back to L show.
        ["patch-transformer"] = """{"patch": 7, "front_channels": 3, "front_kernel": 5, "model": 16, "heads": 2, "layers": 1, "feed_forward": 24, "attention_dropout": 0, "feed_forward_dropout": 0, "activation": "gelu", "norm_first": false}""",
        ["patch-transformer-prenorm"] = """{"patch": 16, "front_channels": 0, "front_kernel": 1, "model": 12, "heads": 3, "layers": 2, "feed_forward": 20, "attention_dropout": 0, "feed_forward_dropout": 0, "activation": "relu", "norm_first": true}""",
        ["count-transformer"] = """{"model": 16, "heads": 2, "layers": 2, "feed_forward": 32, "dense": 8, "dropout": 0}""",
        ["onestep-counter"] = """{"backbone": {"embedding_kernel": 3, "model": 8, "heads": 2, "layers": 1, "feed_forward": 16, "attention_dropout": 0, "feed_forward_dropout": 0, "activation": "gelu_tanh", "norm_first": true}}""",
    };

    public static TheoryData<string> Kinds => new(Configs.Keys);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_Peakformer_checkpoint_gives_the_same_outputs_in_its_twin_on_real_and_random_inputs(string name)
    {
        if (!TorchPython.Available(output)) return;
        using var folder = new TempFolder();
        var model = data.Perturbed(name);
        string checkpoint = folder.File("pf.safetensors");
        data.Save(checkpoint, model);
        foreach (var (what, inputs) in new[] { ("real", data.Set(name).Eval.Inputs), ("random", data.Random(name, new Rng(9))) })
        {
            var expected = Outputs(model, inputs);
            var twin = Twin(folder, "logits", checkpoint, inputs);
            double difference = MaxDifference(expected, twin);
            output.WriteLine($"{name}, {what} inputs ({inputs.Shape}): largest difference {difference:G3}, spread {Spread(expected):G3}");
            Assert.InRange(difference, 0, 1e-5);
            Assert.True(Spread(expected) > 1e-3, "the outputs differ between inputs");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_state_dict_made_in_PyTorch_loads_strictly_in_Peakformer_and_gives_PyTorchs_outputs(string name)
    {
        if (!TorchPython.Available(output)) return;
        using var folder = new TempFolder();
        var inputs = data.Set(name).Eval.Inputs;
        WriteNpy(folder.File("inputs.npy"), inputs);
        string checkpoint = folder.File("twin.safetensors");
        var (code, _, error) = TorchPython.Run("check_twin.py", "make", Kind(name), data.Config(name), "5", checkpoint, folder.File("inputs.npy"), folder.File("outputs.npy"));
        Assert.True(code == 0, error);
        var (model, metadata) = data.Load(checkpoint);
        Assert.Equal(Kind(name), metadata["peakformer_model"]);
        var expected = ReadNpy(folder.File("outputs.npy"));
        var outputs = Outputs(model, inputs);
        double difference = MaxDifference(outputs, expected);
        output.WriteLine($"{name}: largest difference {difference:G3}, spread {Spread(outputs):G3}");
        Assert.InRange(difference, 0, 1e-5);
        Assert.True(Spread(outputs) > 1e-3, "the outputs differ between inputs");
    }

    [Theory]
    [InlineData("window-transformer", "adamw")]
    [InlineData("window-transformer-prenorm", "adamw")]
    [InlineData("window-lstm", "adamw")]
    [InlineData("perbin-transformer", "adamw")]
    [InlineData("patch-transformer", "adamw")]
    [InlineData("patch-transformer-prenorm", "adamw")]
    [InlineData("count-transformer", "adamw")]
    [InlineData("count-transformer", "adam")]
    [InlineData("onestep-counter", "adamw")]
    [InlineData("onestep-counter", "adam")]
    public void One_optimiser_step_in_PyTorch_and_in_Peakformer_gives_the_same_weights(string name, string optimizer)
    {
        if (!TorchPython.Available(output)) return;
        using var folder = new TempFolder();
        var model = data.Perturbed(name);
        string checkpoint = folder.File("pf.safetensors");
        data.Save(checkpoint, model);
        var batch = data.Set(name).Train;
        var settings = data.Settings(name, optimizer);

        // Peakformer: the trainer's optimiser and the kind's objective, one step (no warm-up, no schedule, no clipping:
        // the step runs at the recipe's rate).
        var parameters = new ParameterSet(model.Module);
        var step = Trainer.CreateOptimizer(parameters, settings);
        model.Module.Train();
        var tape = new Tape();
        step.ZeroGrad();
        var loss = data.Objective(name, settings).Loss(tape, model.Forward(tape, batch.Inputs), batch.Targets);
        tape.Backward(loss);
        var gradients = parameters.Grads.ToArray();
        step.Step();

        var python = OptimiserStep.RunTwin(folder, checkpoint, batch.Inputs, batch.Targets, settings);
        output.WriteLine($"{name}, {optimizer} at lr {settings.LearningRate:G3}, weight decay {settings.WeightDecay:G3}: loss {loss.Item():G6} here, {python.Loss:G6} in PyTorch");
        Assert.InRange(Math.Abs(loss.Item() - python.Loss), 0, 1e-5);
        var (gradientScale, worstGradient, worstWeight, magnified, total) = OptimiserStep.Compare(parameters, gradients, python.Tensors, settings.LearningRate);
        double moved = 0;
        var before = data.Perturbed(name);
        foreach (var (parameterName, parameter) in before.Module.NamedParameters())
            moved = Math.Max(moved, MaxDifference(parameter.Value.Data.ToArray(), python.Tensors[parameterName]));
        output.WriteLine($"  gradients: largest {gradientScale:G3}, largest difference {worstGradient:G3}; weights: moved up to {moved:G3}, " +
            $"largest difference beyond the magnified rounding {worstWeight:G3}; {magnified} of {total} entries with a magnification above 1e-6");
        Assert.InRange(worstGradient, 0, 1e-5 * Math.Max(1, gradientScale));
        Assert.InRange(worstWeight, double.NegativeInfinity, 1e-5);
        Assert.True(moved > 0.5 * settings.LearningRate, "the step moved the weights");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_model_fine_tuned_in_PyTorch_evaluates_in_Peakformer_to_PyTorchs_scores(string name)
    {
        if (!TorchPython.Available(output)) return;
        using var folder = new TempFolder();
        var model = data.Perturbed(name);
        string checkpoint = folder.File("pf.safetensors"), tuned = folder.File("tuned.safetensors");
        // The count transformer carries the peak model its tokens came from; the fine-tuned file must keep it.
        var carried = Kind(name) == "count-transformer" ? data.Carried(folder) : null;
        data.Save(checkpoint, model, carried);
        var set = data.Set(name);
        var settings = data.Settings(name, "adamw") with { LearningRate = 1e-2f };
        WriteNpy(folder.File("x.npy"), set.Train.Inputs);
        WriteNpy(folder.File("y.npy"), set.Train.Targets);
        WriteNpy(folder.File("ex.npy"), set.Eval.Inputs);
        WriteNpy(folder.File("ey.npy"), set.Eval.Targets);
        int batch = Math.Max(1, set.Train.Inputs.Shape[0] / 2);
        var (code, _, error) = TorchPython.Run("check_twin.py", "finetune", checkpoint, folder.File("x.npy"), folder.File("y.npy"), "3", $"{batch}",
            ModelJson.Serialize(settings), folder.File("ex.npy"), folder.File("ey.npy"), tuned, folder.File("scores.npy"), folder.File("metric.json"));
        Assert.True(code == 0, error);

        var (loaded, _) = data.Load(tuned);
        var scores = ReadNpy(folder.File("scores.npy"));
        var outputs = Outputs(loaded, set.Eval.Inputs);
        Assert.True(MaxDifference(outputs, Outputs(model, set.Eval.Inputs).ToArray()) > 1e-3, "fine-tuning changed the model");
        var examples = new ArrayExamples(set.Eval.Inputs, set.Eval.Targets);
        var (validationLoss, _, metric, _) = Trainer.Validate(loaded, data.Objective(name, settings), examples, 64);
        using var json = JsonDocument.Parse(File.ReadAllText(folder.File("metric.json")));
        double pythonMetric = json.RootElement.GetProperty("metric").GetDouble(), pythonLoss = json.RootElement.GetProperty("loss").GetDouble();
        // The metric moves with the outputs: MAE by at most scale x their difference; AUC by one pair in P x N for each
        // positive-negative pair whose order the difference can swap (near-ties of a weakly trained model).
        double outputDifference = MaxDifference(outputs, scores);
        double slack = data.Objective(name, settings) is RegressionObjective r ? r.Scale * outputDifference : SwappablePairs(outputs.ToArray(), set.Eval.Targets.ToArray(), 2 * outputDifference);
        output.WriteLine($"{name}: outputs differ by up to {outputDifference:G3}; metric {metric:G8} here, {pythonMetric:G8} in PyTorch (allowed 1e-5 + {slack:G3}); loss {validationLoss:G8}, {pythonLoss:G8}");
        Assert.InRange(outputDifference, 0, 1e-5);
        Assert.InRange(Math.Abs(metric - pythonMetric), 0, 1e-5 + slack);
        Assert.InRange(Math.Abs(validationLoss - pythonLoss), 0, 1e-5);
        if (carried is not null)
        {
            var peak = CountCheckpoint.Load(tuned).PeakModel;
            Assert.NotNull(peak);
            Assert.Equal(carried.Sha256, peak.Sha256);
            Assert.Equal(carried.ContentHash, peak.ContentHash);
        }
    }

    /// <summary>The fraction of positive-negative pairs whose scores lie within <paramref name="margin"/> of each other.</summary>
    private static double SwappablePairs(float[] scores, float[] labels, double margin)
    {
        long close = 0, positives = labels.Count(l => l > 0.5f), negatives = labels.Length - positives;
        for (int i = 0; i < scores.Length; i++)
            if (labels[i] > 0.5f)
                for (int j = 0; j < scores.Length; j++)
                    if (labels[j] <= 0.5f && Math.Abs(scores[i] - scores[j]) <= margin) close++;
        return (double)close / Math.Max(1, positives * negatives);
    }

    private static string Kind(string name) => name.Replace("-prenorm", "", StringComparison.Ordinal);

    private Tensor Outputs(ITrainable model, Tensor inputs) => model.Forward(new Tape(gradients: false), inputs);

    private static float[] Twin(TempFolder folder, string command, string checkpoint, Tensor inputs)
    {
        WriteNpy(folder.File("inputs.npy"), inputs);
        var (code, _, error) = TorchPython.Run("check_twin.py", command, checkpoint, folder.File("inputs.npy"), folder.File("outputs.npy"));
        Assert.True(code == 0, error);
        return ReadNpy(folder.File("outputs.npy"));
    }

    private static void WriteNpy(string path, Tensor t)
    {
        using var stream = File.Create(path);
        NpyFormat.Write(stream, NpyArray.Of(t.ToArray(), t.Shape.ToArray().Select(d => (long)d).ToArray()));
    }

    private static float[] ReadNpy(string path)
    {
        using var stream = File.OpenRead(path);
        return (float[])NpyFormat.Read(stream, path).Values;
    }

    private static double MaxDifference(Tensor a, float[] b) => MaxDifference(a.ToArray(), b);

    private static double MaxDifference(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }

    private static double Spread(Tensor t) => t.ToArray().Max() - t.ToArray().Min();

    /// <summary>Examples held in two tensors, for Trainer.Validate.</summary>
    private sealed class ArrayExamples(Tensor inputs, Tensor targets) : IExamples
    {
        public int Count => inputs.Shape[0];
        public int InputSize => inputs.Shape.Size / Count;
        public int TargetSize => targets.Shape.Size / Count;

        public void Fill(ReadOnlySpan<int> indices, Span<float> x, Span<float> y)
        {
            for (int i = 0; i < indices.Length; i++)
            {
                inputs.Data.Slice(indices[i] * InputSize, InputSize).CopyTo(x.Slice(i * InputSize, InputSize));
                targets.Data.Slice(indices[i] * TargetSize, TargetSize).CopyTo(y.Slice(i * TargetSize, TargetSize));
            }
        }
    }

    /// <summary>
    /// Simulated waveforms and, per kind, a training batch and an evaluation set as Peakformer's training makes them:
    /// balanced candidate windows (mean-subtracted), whole records with per-bin targets, truth-peak tokens (plus a
    /// record with no peaks) and raw records with standardised cluster counts.
    /// </summary>
    public sealed class Data : IDisposable
    {
        private readonly TempFolder _folder = new();
        private readonly Dictionary<string, ((Tensor Inputs, Tensor Targets) Train, (Tensor Inputs, Tensor Targets) Eval)> _sets = [];

        public Data()
        {
            string path = _folder.File("sim.npz");
            var (exit, printed, error) = CliHarness.Run("simulate", "--events", "16", "--seed", "3", "--out", path);
            Assert.True(exit == 0, error + printed);
            using var dataset = WaveformDataset.Open(path);
            Samples = dataset.Samples;
            var (train, eval) = RandomSplit.Indices(dataset.Count, 0.5, 7);
            var counts = train.Select(e => (double)dataset.Clusters[e]).ToArray();
            Mean = counts.Average();
            Scale = Math.Sqrt(counts.Select(c => (c - Mean) * (c - Mean)).Average());

            var settings = new TrainingSettings { ValidationFraction = 0.5, Seed = 7 };
            var windows = TrainingData.Prepare((IPeakModel)Create("window-lstm"), path, new TrainingDataOptions(), settings);
            _sets["window"] = (Take(windows.Train, 48), Take(windows.Validation, 200));
            var bins = TrainingData.Prepare((IPeakModel)Create("perbin-transformer"), path, new TrainingDataOptions { LabelWidth = 2 }, settings);
            _sets["perbin"] = (Take(bins.Train, 3), Take(bins.Validation, 4));
            var tokens = (Train: CountExamples.Build(dataset, train, PeakSource.Truth(), Mean, Scale, NullProgress.Instance),
                Eval: CountExamples.Build(dataset, eval, PeakSource.Truth(), Mean, Scale, NullProgress.Instance));
            _sets["count-transformer"] = (Take(tokens.Train, 8), WithEmptyRecord(Take(tokens.Eval, 8)));
            var records = (Train: CountExamples.Build(dataset, train, null, Mean, Scale, NullProgress.Instance),
                Eval: CountExamples.Build(dataset, eval, null, Mean, Scale, NullProgress.Instance));
            _sets["onestep-counter"] = (Take(records.Train, 3), Take(records.Eval, 5));
        }

        public int Samples { get; }
        public double Mean { get; }
        public double Scale { get; }

        public ((Tensor Inputs, Tensor Targets) Train, (Tensor Inputs, Tensor Targets) Eval) Set(string name) => Kind(name) switch
        {
            "window-transformer" or "window-lstm" => _sets["window"],
            "perbin-transformer" or "patch-transformer" => _sets["perbin"],
            var kind => _sets[kind],
        };

        /// <summary>The config JSON of a test model, with the count kinds' standardisation and record length.</summary>
        public string Config(string name)
        {
            var config = System.Text.Json.Nodes.JsonNode.Parse(Configs[name])!.AsObject();
            if (DriftChamberModels.CountsClusters(ModelKinds.All.Get(Kind(name), name)))
            {
                config["target_mean"] = Mean;
                config["target_scale"] = Scale;
                if (Kind(name) == "onestep-counter") config["samples"] = Samples;
            }
            // The checkpoint's own config (every key), as the twin needs it.
            return ModelJson.Serialize(Create(Kind(name), config.ToJsonString()) switch { IPeakModel p => p.Config, ICountModel c => c.Config, _ => throw new InvalidOperationException() });
        }

        public ITrainable Create(string name, string? config = null) =>
            DriftChamberModels.FindsPeaks(ModelKinds.All.Get(Kind(name), name))
                ? DriftChamberModels.Create(Kind(name), config ?? Configs[name], new Rng(1))
                : DriftChamberModels.CreateCounter(Kind(name), config ?? Config(name), new Rng(1));

        /// <summary>The model with every weight moved off its initial value (zero biases, unit norms), so a name or order mix-up shows; in eval mode.</summary>
        public ITrainable Perturbed(string name)
        {
            var model = Create(name, Config(name));
            var rng = new Rng(8);
            foreach (var (_, p) in model.Module.NamedParameters())
            {
                var values = p.Value.Data;
                for (int i = 0; i < values.Length; i++) values[i] += (float)(0.2 * rng.NextNormal());
            }
            model.Module.Eval();
            return model;
        }

        public void Save(string path, ITrainable model, CarriedPeakModel? carried = null)
        {
            if (model is IPeakModel peak) PeakCheckpoint.Save(path, peak, new PeakModelInfo { Task = ModelKinds.All.Get(peak.Kind, path).Task, LabelWidth = 2 });
            else CountCheckpoint.Save(path, (ICountModel)model, new CountModelInfo { PeaksFrom = carried is null ? "truth" : "peaks.safetensors", TrainingMean = Mean }, carried);
        }

        public (ITrainable Model, IReadOnlyDictionary<string, string> Metadata) Load(string path)
        {
            var (_, metadata) = SafeTensorsFile.Read(path);
            ITrainable model = metadata.ContainsKey(PeakCheckpoint.InfoKey) ? PeakCheckpoint.Load(path).Model : CountCheckpoint.Load(path).Model;
            return (model, metadata);
        }

        /// <summary>A peak model as a count checkpoint carries it (written to a file first, so its hash is a file's).</summary>
        public CarriedPeakModel Carried(TempFolder folder)
        {
            string path = folder.File("peaks.safetensors");
            Save(path, (IPeakModel)Perturbed("window-lstm"));
            var (peak, info) = PeakCheckpoint.Load(path);
            return new CarriedPeakModel(peak, info, SafeTensorsFile.ReadHashed(path).Sha256);
        }

        /// <summary>The recipe of the kind (its rate), with the optimiser named and, for AdamW, the default weight decay.</summary>
        public TrainingSettings Settings(string name, string optimizer)
        {
            var recipe = ModelKinds.All.Get(Kind(name), name).Recipe;
            var settings = optimizer == "adamw" ? recipe with { Optimizer = "adamw", WeightDecay = new TrainingSettings().WeightDecay } : recipe;
            // The per-bin targets are a few percent of the bins: Peakformer weights them (PeakTraining), so the BCE's pos_weight shows.
            return Kind(name) is "perbin-transformer" or "patch-transformer" ? settings with { PositiveWeight = 7.5f } : settings;
        }

        public IObjective Objective(string name, TrainingSettings settings) =>
            DriftChamberModels.FindsPeaks(ModelKinds.All.Get(Kind(name), name))
                ? new BinaryObjective(settings.PositiveWeight, settings.Threshold, settings.MinAuc)
                : new RegressionObjective(Mean, Scale);

        /// <summary>Random inputs of the kind: noisy windows and records, and tokens with 0 to 96 peaks of random features.</summary>
        public Tensor Random(string name, Rng rng)
        {
            var shape = Set(name).Eval.Inputs.Shape;
            int n = 7, size = shape.Size / shape[0];
            var values = new float[n * size];
            if (Kind(name) == "count-transformer")
            {
                int[] peaks = [0, 1, 2, 17, 50, 95, 96];
                for (int i = 0; i < n; i++)
                    for (int k = 0; k < peaks[i]; k++)
                    {
                        var token = values.AsSpan(i * size + k * PeakTokens.Features, PeakTokens.Features);
                        for (int f = 0; f < PeakTokens.Features - 1; f++) token[f] = (float)(2 * rng.NextDouble());
                        token[^1] = 1;
                    }
            }
            else
                for (int i = 0; i < values.Length; i++) values[i] = (float)(0.3 * rng.NextNormal() + 0.1 * (i / size % 3));
            if (Kind(name) is "window-transformer" or "window-lstm")
                for (int i = 0; i < n; i++)
                {
                    var window = values.AsSpan(i * size, size);
                    float mean = 0;
                    foreach (var v in window) mean += v;
                    mean /= size;
                    for (int k = 0; k < size; k++) window[k] -= mean;
                }
            return Tensor.FromArray(values, new Shape(n, size));
        }

        private static (Tensor Inputs, Tensor Targets) Take(IExamples examples, int count)
        {
            int n = Math.Min(count, examples.Count);
            var x = new float[n * examples.InputSize];
            var y = new float[n * examples.TargetSize];
            examples.Fill(Enumerable.Range(0, n).ToArray(), x, y);
            return (Tensor.FromArray(x, new Shape(n, examples.InputSize)),
                Tensor.FromArray(y, examples.TargetSize == 1 ? new Shape(n) : new Shape(n, examples.TargetSize)));
        }

        /// <summary>The set plus a record in which no peak was found (all tokens padding), target the standardised zero count.</summary>
        private (Tensor Inputs, Tensor Targets) WithEmptyRecord((Tensor Inputs, Tensor Targets) set)
        {
            int n = set.Inputs.Shape[0], size = set.Inputs.Shape[1];
            var x = set.Inputs.ToArray().Concat(new float[size]).ToArray();
            var y = set.Targets.ToArray().Append((float)(-Mean / Scale)).ToArray();
            return (Tensor.FromArray(x, new Shape(n + 1, size)), Tensor.FromArray(y, new Shape(n + 1)));
        }

        public void Dispose() => _folder.Dispose();
    }
}
