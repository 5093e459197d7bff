using Peakformer.DriftChamber.Models;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Progress;
using Peakformer.Tests.Support;
using Peakformer.Learning.Training;
using Peakformer.Learning.Objectives;

namespace Peakformer.Tests.Training;

public class TrainerTests
{
    /// <summary>Noise windows; signal ones carry a bump at position 5 (the candidate bin).</summary>
    internal sealed class BumpWindows : IExamples
    {
        private readonly float[] _x, _y;
        private readonly int _count;

        public BumpWindows(int count, ulong seed, float? poison = null)
        {
            _count = count;
            _x = Make(count, seed, out _y);
            if (poison is { } p) _x[17 * 15 + 3] = p;
        }

        private static float[] Make(int count, ulong seed, out float[] labels)
        {
            var rng = new Rng(seed);
            var x = new float[count * 15];
            labels = new float[count];
            for (int i = 0; i < count; i++)
            {
                labels[i] = i % 2;
                for (int k = 0; k < 15; k++) x[i * 15 + k] = (float)(0.1 * rng.NextNormal());
                if (labels[i] == 1) { x[i * 15 + 4] += 0.15f; x[i * 15 + 5] += 0.3f; x[i * 15 + 6] += 0.2f; }
            }
            return x;
        }

        public int Count => _count;
        public int InputSize => 15;
        public int TargetSize => 1;

        public void Fill(ReadOnlySpan<int> indices, Span<float> inputs, Span<float> targets)
        {
            for (int i = 0; i < indices.Length; i++)
            {
                _x.AsSpan(indices[i] * 15, 15).CopyTo(inputs.Slice(i * 15, 15));
                targets[i] = _y[indices[i]];
            }
        }
    }

    internal static WindowTransformer Tiny(ulong seed, float dropout = 0) => new(new WindowTransformerConfig
    {
        Model = 16, Heads = 2, Layers = 1, FeedForward = 16, HeadHidden = 16, AttentionDropout = dropout, FeedForwardDropout = dropout,
    }, new Rng(seed));

    private static BinaryObjective Binary(TrainingSettings s) => new(1, s.Threshold, s.MinAuc);

    private static readonly TrainingSettings Fast = new() { Epochs = 6, Batch = 64, LearningRate = 3e-3f, MinAuc = 0.9 };

    [Fact]
    public void A_separable_problem_is_learned_and_kept()
    {
        var model = Tiny(1);
        int saves = 0;
        var result = Trainer.Train(model, Binary(Fast), new BumpWindows(1200, 1), new BumpWindows(400, 2), Fast, NullProgress.Instance, _ => saves++);
        Assert.True(result.BestMetric > 0.97, $"validation AUC {result.BestMetric}");
        Assert.True(result.Saved);
        Assert.True(saves >= 1);
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss);
    }

    [Fact]
    public void Nothing_is_kept_below_the_keep_threshold_and_a_flat_run_stops_early()
    {
        int saves = 0;
        var settings = Fast with { LearningRate = 1e-9f, Patience = 2, MinAuc = 0.999, Epochs = 20 };
        var result = Trainer.Train(Tiny(2), Binary(settings), new BumpWindows(600, 1), new BumpWindows(200, 2), settings, NullProgress.Instance, _ => saves++);
        Assert.False(result.Saved);
        Assert.Equal(0, saves);
        Assert.True(result.StoppedEarly);
        Assert.True(result.History.Count < 20);
    }

    [Fact]
    public void Resuming_gives_the_same_weights_as_an_uninterrupted_run()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.safetensors");
        var a = Tiny(5);
        Trainer.Train(a, Binary(Fast), new BumpWindows(500, 1), new BumpWindows(200, 2), Fast with { Epochs = 4, MinAuc = 0 }, NullProgress.Instance, _ => { });
        var b = Tiny(5);
        Trainer.Train(b, Binary(Fast), new BumpWindows(500, 1), new BumpWindows(200, 2), Fast with { Epochs = 2, MinAuc = 0 }, NullProgress.Instance, _ => { }, path);
        var c = Tiny(99); // different initial weights: all must come from the saved state
        var result = Trainer.Train(c, Binary(Fast), new BumpWindows(500, 1), new BumpWindows(200, 2), Fast with { Epochs = 4, MinAuc = 0 }, NullProgress.Instance, _ => { }, path, resume: true);
        Assert.Equal([1, 2, 3, 4], result.History.Select(h => h.Epoch));
        foreach (var ((name, pa), (_, pc)) in a.NamedParameters().Zip(c.NamedParameters()))
            Assert.True(pa.Value.Data.SequenceEqual(pc.Value.Data), $"{name} differs after resume");
    }

    [Fact]
    public void A_checkpoint_reloads_to_the_same_predictions()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.safetensors");
        var model = Tiny(3);
        PeakCheckpoint.Save(path, model, new PeakModelInfo { Task = "window", Threshold = 0.4 });
        var (loaded, info) = PeakCheckpoint.Load(path);
        Assert.Equal("window-transformer", loaded.Kind);
        Assert.Equal(0.4, info.Threshold);
        var x = Tensor.FromArray(Enumerable.Range(0, 30).Select(i => (float)Math.Sin(i)).ToArray(), 2, 15);
        model.Eval();
        var tape = new Tape(gradients: false);
        Assert.Equal(model.Forward(tape, x).ToArray(), loaded.Forward(tape, x).ToArray());
    }

    [Fact]
    public void Weights_that_overflow_stop_training_with_the_epoch_step_and_learning_rate_instead_of_hanging()
    {
        // Before, the NaN scores reached the validation ROC, whose tie loop never ended on NaN.
        var model = Tiny(1);
        model.Embedding.Weight.Value.Data.Fill(3e38f);
        var e = Hostile.Bounded.Within(TimeSpan.FromSeconds(60), 256L << 20, "training with overflowing weights", () => Assert.Throws<InputException>(() =>
            Trainer.Train(model, Binary(Fast), new BumpWindows(600, 1), new BumpWindows(200, 2), Fast, NullProgress.Instance, _ => { })));
        Assert.Equal("training: loss became NaN at epoch 1, step 1 (learning rate 0.003 is too large? or input values out of range)", e.Message);
    }

    [Fact]
    public void A_learning_rate_beyond_the_bound_is_refused_before_training()
    {
        var e = Assert.Throws<InputException>(() => Trainer.Train(Tiny(1), Binary(Fast), new BumpWindows(60, 1), new BumpWindows(20, 2),
            Fast with { LearningRate = 1e30f }, NullProgress.Instance, _ => { }));
        Assert.Equal("--lr: expected a positive number at most 100, found 1E+30", e.Message);
    }

    [Theory]
    [InlineData(3e38f)]
    [InlineData(float.NaN)]
    public void An_input_out_of_float_range_stops_training_at_the_first_step(float poison)
    {
        var e = Assert.Throws<InputException>(() =>
            Trainer.Train(Tiny(1), Binary(Fast), new BumpWindows(600, 1, poison), new BumpWindows(200, 2), Fast with { Batch = 600 }, NullProgress.Instance, _ => { }));
        Assert.StartsWith("training: loss became NaN at epoch 1, step 1 ", e.Message);
    }

    [Fact]
    public void Resuming_with_dropout_on_gives_the_same_weights_as_an_uninterrupted_run()
    {
        // The dropout stream continues across epochs: 2 + 2 epochs equal 4 only when its state is saved and restored.
        using var folder = new TempFolder();
        string path = folder.File("m.safetensors");
        var settings = Fast with { MinAuc = 0 };
        var a = Tiny(5, dropout: 0.2f);
        Trainer.Train(a, Binary(Fast), new BumpWindows(500, 1), new BumpWindows(200, 2), settings with { Epochs = 4 }, NullProgress.Instance, _ => { });
        var b = Tiny(5, dropout: 0.2f);
        Trainer.Train(b, Binary(Fast), new BumpWindows(500, 1), new BumpWindows(200, 2), settings with { Epochs = 2 }, NullProgress.Instance, _ => { }, path);
        var c = Tiny(5, dropout: 0.2f); // as the CLI does: the model rebuilt from the seed, then the state loaded
        Trainer.Train(c, Binary(Fast), new BumpWindows(500, 1), new BumpWindows(200, 2), settings with { Epochs = 4 }, NullProgress.Instance, _ => { }, path, resume: true);
        foreach (var ((name, pa), (_, pc)) in a.NamedParameters().Zip(c.NamedParameters()))
            Assert.True(pa.Value.Data.SequenceEqual(pc.Value.Data), $"{name} differs after resume");
    }

    [Fact]
    public void A_run_that_keeps_no_checkpoint_removes_the_state_it_wrote()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.safetensors");
        var settings = Fast with { Epochs = 2, MinAuc = 1 };
        var result = Trainer.Train(Tiny(1), Binary(settings), new BumpWindows(300, 1), new BumpWindows(100, 2), settings, NullProgress.Instance, _ => { }, path);
        Assert.False(result.Saved);
        Assert.False(File.Exists(TrainState.PathFor(path)));
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Theory]
    [InlineData("model.embedding.weight", "tensor 'embedding.weight' holds NaN at element 1 (expected finite weights)")]
    [InlineData("optimizer.", "holds NaN at element 1 (expected finite optimiser moments)")]
    public void A_training_state_holding_nan_is_refused_on_resume(string tensor, string message)
    {
        using var folder = new TempFolder();
        string path = folder.File("m.safetensors");
        var settings = Fast with { Epochs = 1, MinAuc = 0 };
        Trainer.Train(Tiny(1), Binary(settings), new BumpWindows(200, 1), new BumpWindows(100, 2), settings, NullProgress.Instance, _ => { }, path);
        string state = TrainState.PathFor(path);
        Hostile.HostileCopies.Rewrite(state, state, tensors: t => t.First(x => x.Name.StartsWith(tensor, StringComparison.Ordinal)).Values[1] = float.NaN);
        var e = Assert.ThrowsAny<Exception>(() => Trainer.Train(Tiny(1), Binary(settings), new BumpWindows(200, 1), new BumpWindows(100, 2),
            settings with { Epochs = 2 }, NullProgress.Instance, _ => { }, path, resume: true));
        Assert.True(e is InputException or Peakformer.Engine.Checkpoints.SafeTensorsException, e.GetType().Name);
        Assert.StartsWith(state + ": ", e.Message);
        Assert.Contains(message, e.Message);
    }

    /// <summary>Whole waveforms that are never read: the batch check comes before any data is touched.</summary>
    private sealed class UnreadWaveforms(int count) : IExamples
    {
        public int Count => count;
        public int InputSize => 1200;
        public int TargetSize => 1200;
        public void Fill(ReadOnlySpan<int> indices, Span<float> inputs, Span<float> targets) => throw new InvalidOperationException("read");
    }

    [Fact]
    public void A_batch_of_too_many_whole_waveforms_is_refused_before_training()
    {
        var settings = Fast with { Batch = 65536 };
        var e = Assert.Throws<InputException>(() => Trainer.Train(Tiny(1), Binary(settings), new UnreadWaveforms(5000), new UnreadWaveforms(10), settings,
            NullProgress.Instance, _ => { }));
        Assert.Equal("--batch: expected at most 873 examples of 1200 inputs (1048576 input values per batch), found 65536", e.Message);
    }

    /// <summary>What checked mode (PEAKFORMER_CHECK_FINITE) does when an operation makes a NaN: throws from inside the forward pass.</summary>
    private sealed class CheckedFailure(WindowTransformer inner) : ITrainable
    {
        public Peakformer.Engine.Layers.Module Module => inner;
        public Tensor Forward(Tape tape, Tensor input) =>
            throw new NonFiniteException($"Linear: output element 3 of 64 is NaN (checked mode, {Tape.CheckFiniteVariable}).");
    }

    [Fact]
    public void Checked_mode_failures_become_one_line_errors_saying_where_in_training()
    {
        var e = Assert.Throws<InputException>(() => Trainer.Train(new CheckedFailure(Tiny(1)), Binary(Fast), new BumpWindows(100, 1), new BumpWindows(50, 2), Fast,
            NullProgress.Instance, _ => { }));
        Assert.Equal("training: Linear: output element 3 of 64 is NaN (checked mode, PEAKFORMER_CHECK_FINITE) at epoch 1, step 1", e.Message);
    }
}
