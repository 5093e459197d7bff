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
        public string ScoreName => "score";
        public string MetricName => "metric";
        public bool HigherIsBetter => true;
        public bool GoodEnough(double metric) => true;
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
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(svg, "y1=\"40\" y2=\"404\" stroke=\"#888888\""));
    }

    private static float[] Weights(Line model) => model.Module.NamedParameters().SelectMany(p => p.Parameter.Value.Data.ToArray()).ToArray();
}
