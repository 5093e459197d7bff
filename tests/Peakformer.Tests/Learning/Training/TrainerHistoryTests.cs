using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Training;
using Peakformer.Progress;
using Peakformer.Reports;

namespace Peakformer.Tests.Learning.Training;

/// <summary>Every epoch is kept in the history and drawn, also after an early best; the checkpoint keeps the best weights.</summary>
public class TrainerHistoryTests
{
    private sealed class Line : ITrainable
    {
        private readonly Linear _linear = new(3, 1, new Rng(5));
        public Module Module => _linear;
        public Tensor Forward(Tape tape, Tensor input) => Ops.Reshape(tape, _linear.Forward(tape, input), new Shape(input.Shape[0]));
    }

    private sealed class Examples(int count) : IExamples
    {
        public int Count => count;
        public int InputSize => 3;
        public int TargetSize => 1;
        public void Fill(ReadOnlySpan<int> indices, Span<float> inputs, Span<float> targets)
        {
            for (int i = 0; i < indices.Length; i++)
            {
                int j = indices[i];
                inputs[i * 3] = j % 7; inputs[i * 3 + 1] = j % 3; inputs[i * 3 + 2] = 1;
                targets[i] = 2 * (j % 7) - (j % 3);
            }
        }
    }

    /// <summary>MSE, with a validation metric read from a script, so the best epoch is known in advance.</summary>
    private sealed class Scripted(params double[] metrics) : IObjective
    {
        private readonly double[] _metrics = metrics;
        private int _validations;
        /// <summary>Which metrics are good enough to keep (all unless set): need not be monotone in the metric.</summary>
        public Func<double, bool> Keeps { get; init; } = _ => true;
        public string ScoreName => "score";
        public string MetricName => "metric";
        public bool HigherIsBetter => true;
        public bool GoodEnough(double metric) => Keeps(metric);
        public Tensor Loss(Tape tape, Tensor output, Tensor targets) => Ops.MseLoss(tape, output, targets);
        public IObjectiveAccumulator Accumulator() => new Seen(this);

        private sealed class Seen(Scripted owner) : IObjectiveAccumulator
        {
            public void Add(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets) { }
            public double Score => 0;
            public double Metric => owner._metrics[owner._validations++];
            public IReadOnlyDictionary<string, double> Metrics() => new Dictionary<string, double> { ["nan_is_dropped"] = double.NaN, ["kept"] = 1 };
        }
    }

    [Fact]
    public void The_checkpoint_gets_every_epoch_after_an_early_best_with_the_best_weights()
    {
        var model = new Line();
        var saves = new List<(TrainingResult Result, float[] Weights)>();
        var settings = new TrainingSettings { Epochs = 5, Batch = 8, LearningRate = 1e-2f, Patience = 10 };
        var result = Trainer.Train(model, new Scripted(0.9, 0.5, 0.4, 0.3, 0.2), new Examples(32), new Examples(8), settings, NullProgress.Instance,
            best => saves.Add((best, Weights(model))));

        Assert.Equal(5, result.History.Count);
        Assert.Equal(1, result.BestEpoch);
        // One save at the best epoch (history 1 long), one at the end with all five epochs and the same weights.
        Assert.Equal(2, saves.Count);
        Assert.Single(saves[0].Result.History);
        Assert.Equal(5, saves[1].Result.History.Count);
        Assert.Equal(1, saves[1].Result.BestEpoch);
        Assert.Equal(saves[0].Weights, saves[1].Weights);
        // The model itself keeps the weights of the last epoch, as training left them.
        Assert.NotEqual(saves[0].Weights, Weights(model));
        Assert.Equal(new Dictionary<string, double> { ["kept"] = 1 }, result.History[^1].ValidationMetrics);
    }

    [Fact]
    public void The_curves_draw_every_epoch_and_mark_the_best()
    {
        var history = Enumerable.Range(1, 7).Select(e => new EpochRecord(e, 1.0 / e, 0.5, 1.0 / e + 0.1, 0.5, 0.9 - 0.01 * e, 1e-3, 1)).ToList();
        string svg = TrainingCurves.Loss("model", history, bestEpoch: 2, "loss").Render();
        // Each line is one path: M to the first epoch, then L to each of the other six.
        var paths = System.Text.RegularExpressions.Regex.Matches(svg, "<path d=\"(M[^\"]*)\" fill=\"none\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, paths.Count);
        Assert.All(paths, p => Assert.Equal(6, p.Count(ch => ch == 'L')));
        Assert.Contains("best epoch 2", svg);
        // The marker is the one vertical grey line in the plot (the legend's sample is wider); it stands on epoch 2's point.
        var marker = Assert.Single(System.Text.RegularExpressions.Regex.Matches(svg,
            $"<line x1=\"([^\"]+)\" x2=\"\\1\"[^>]*stroke=\"{Peakformer.Reports.Svg.Palette.Grey}\" stroke-width=\"(?!2\")"));
        foreach (var path in paths)
            Assert.Equal(path.Split('L')[1].Split(',')[0], marker.Groups[1].Value);
    }

    private static TrainingSettings Five => new() { Epochs = 5, Batch = 8, LearningRate = 1e-2f, Patience = 10 };

    [Fact]
    public void A_kept_epoch_before_a_better_one_not_good_enough_is_the_one_written_at_the_end()
    {
        // Epochs 2 and 3 improve, but 0.95 is not good enough to keep (a window, not a threshold): the checkpoint
        // stays at epoch 2, and the final save pairs epoch 2's number with epoch 2's weights.
        var model = new Line();
        var saves = new List<(TrainingResult Result, float[] Weights)>();
        var result = Trainer.Train(model, new Scripted(0.5, 0.9, 0.95, 0.6, 0.7) { Keeps = m => m < 0.92 }, new Examples(32), new Examples(8), Five,
            NullProgress.Instance, best => saves.Add((best, Weights(model))));
        Assert.Equal(3, result.BestEpoch);
        Assert.Equal([1, 2, 2], saves.Select(x => x.Result.BestEpoch));
        Assert.Equal(0.9, saves[^1].Result.BestMetric);
        Assert.Equal(5, saves[^1].Result.History.Count);
        Assert.Equal(saves[1].Weights, saves[^1].Weights);
    }

    [Fact]
    public void A_run_resumed_without_improving_still_writes_every_epoch_beside_the_kept_weights()
    {
        using var folder = new Peakformer.Tests.Support.TempFolder();
        string checkpoint = folder.File("m.safetensors");
        var first = new List<(TrainingResult Result, float[] Weights)>();
        var model = new Line();
        Trainer.Train(model, new Scripted(0.9, 0.5), new Examples(32), new Examples(8), Five with { Epochs = 2 }, NullProgress.Instance,
            best => first.Add((best, Weights(model))), checkpoint);
        var again = new Line();
        var saves = new List<(TrainingResult Result, float[] Weights)>();
        Trainer.Train(again, new Scripted(0.4, 0.3), new Examples(32), new Examples(8), Five with { Epochs = 4 }, NullProgress.Instance,
            best => saves.Add((best, Weights(again))), checkpoint, resume: true);
        var end = Assert.Single(saves);
        Assert.Equal([1, 2, 3, 4], end.Result.History.Select(e => e.Epoch));
        Assert.Equal(1, end.Result.BestEpoch);
        Assert.Equal(first[0].Weights, end.Weights);
    }

    [Fact]
    public void A_run_killed_before_its_final_save_writes_it_when_resumed_with_no_epoch_left()
    {
        using var folder = new Peakformer.Tests.Support.TempFolder();
        string checkpoint = folder.File("m.safetensors");
        var model = new Line();
        float[]? kept = null;
        // The final save "dies": only the state of epoch 2 and the checkpoint of epoch 1 are on disk.
        Assert.Throws<IOException>(() => Trainer.Train(model, new Scripted(0.9, 0.5), new Examples(32), new Examples(8), Five with { Epochs = 2 },
            NullProgress.Instance, best => { if (best.History.Count > 1) throw new IOException("killed"); kept = Weights(model); }, checkpoint));
        var again = new Line();
        var saves = new List<(TrainingResult Result, float[] Weights)>();
        var result = Trainer.Train(again, new Scripted(), new Examples(32), new Examples(8), Five with { Epochs = 2 }, NullProgress.Instance,
            best => saves.Add((best, Weights(again))), checkpoint, resume: true);
        var end = Assert.Single(saves);
        Assert.Equal(2, end.Result.History.Count);
        Assert.Equal(kept, end.Weights);
        Assert.Equal(2, result.History.Count);
    }

    [Fact]
    public void A_run_resumed_after_it_stopped_early_trains_no_more_and_writes_its_final_checkpoint()
    {
        using var folder = new Peakformer.Tests.Support.TempFolder();
        string checkpoint = folder.File("m.safetensors");
        var settings = Five with { Patience = 1 };
        Trainer.Train(new Line(), new Scripted(0.9, 0.5), new Examples(32), new Examples(8), settings, NullProgress.Instance, _ => { }, checkpoint);
        var saves = new List<TrainingResult>();
        // A scripted objective with no metrics left throws if any epoch is validated.
        var result = Trainer.Train(new Line(), new Scripted(), new Examples(32), new Examples(8), settings, NullProgress.Instance, saves.Add, checkpoint, resume: true);
        Assert.True(result.StoppedEarly);
        var end = Assert.Single(saves);
        Assert.Equal(2, end.History.Count);
        Assert.True(end.StoppedEarly);
    }

    [Fact]
    public void A_final_save_that_fails_leaves_the_model_with_the_last_epochs_weights()
    {
        var trained = new Line();
        Trainer.Train(trained, new Scripted(0.9, 0.5, 0.4), new Examples(32), new Examples(8), Five with { Epochs = 3 }, NullProgress.Instance, _ => { });
        var failing = new Line();
        Assert.Throws<IOException>(() => Trainer.Train(failing, new Scripted(0.9, 0.5, 0.4), new Examples(32), new Examples(8), Five with { Epochs = 3 },
            NullProgress.Instance, best => { if (best.History.Count > 1) throw new IOException("disk full"); }));
        Assert.Equal(Weights(trained), Weights(failing));
    }

    /// <summary>Batch norm before a linear layer: a model with buffers (running mean and variance, batch count).</summary>
    private sealed class Normed : Module, ITrainable
    {
        private readonly BatchNorm1d _norm;
        private readonly Linear _linear;
        public Normed() { _norm = AddModule("norm", new BatchNorm1d(3)); _linear = AddModule("linear", new Linear(3, 1, new Rng(5))); }
        public Module Module => this;
        public Tensor Forward(Tape tape, Tensor input) => Ops.Reshape(tape, _linear.Forward(tape, _norm.Forward(tape, input)), new Shape(input.Shape[0]));
    }

    private static float[] State(Module model) => model.NamedState().SelectMany(s => s.Value.Data.ToArray()).ToArray();
    private static float[] Buffers(Module model) => model.NamedBuffers().SelectMany(b => b.Buffer.Data.ToArray()).ToArray();

    [Fact]
    public void The_final_save_keeps_the_best_epochs_buffers_beside_its_weights()
    {
        // Epoch 1 is best; epochs 2 to 4 move the running statistics on (4 batches of 8 each). The final save must
        // carry epoch 1's batch count (4) and statistics with epoch 1's weights, not the last epoch's (16).
        var model = new Normed();
        var saves = new List<(TrainingResult Result, float[] State, float[] Buffers)>();
        Trainer.Train(model, new Scripted(0.9, 0.5, 0.4, 0.3), new Examples(32), new Examples(8), Five with { Epochs = 4 }, NullProgress.Instance,
            best => saves.Add((best, State(model), Buffers(model))));
        Assert.Equal(2, saves.Count);
        Assert.Equal(4f, saves[0].Buffers[^1]);
        Assert.Equal(saves[0].State, saves[1].State);
        // The model is left as training left it: 16 batches tracked.
        Assert.Equal(16f, Buffers(model)[^1]);
    }

    [Fact]
    public void A_resumed_run_writes_the_kept_epochs_buffers_from_its_state()
    {
        using var folder = new Peakformer.Tests.Support.TempFolder();
        string checkpoint = folder.File("m.safetensors");
        var first = new List<float[]>();
        var model = new Normed();
        Trainer.Train(model, new Scripted(0.9, 0.5), new Examples(32), new Examples(8), Five with { Epochs = 2 }, NullProgress.Instance,
            best => first.Add(State(model)), checkpoint);
        var again = new Normed();
        var saves = new List<float[]>();
        Trainer.Train(again, new Scripted(0.4, 0.3), new Examples(32), new Examples(8), Five with { Epochs = 4 }, NullProgress.Instance,
            best => saves.Add(State(again)), checkpoint, resume: true);
        Assert.Equal(first[0], Assert.Single(saves));
        Assert.Equal(16f, Buffers(again)[^1]);
    }

    private static float[] Weights(Line model) => model.Module.NamedParameters().SelectMany(p => p.Parameter.Value.Data.ToArray()).ToArray();
}
