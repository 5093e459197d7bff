using Peakformer.DriftChamber.Finders;
using Peakformer.DriftChamber.Models;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Tests.DriftChamber;

/// <summary>Model scoring never hands out a NaN score: an overflow inside the model is an error naming the waveform.</summary>
public class ModelScorerNonFiniteTests
{
    /// <summary>A window transformer whose logits are replaced: NaN for one row, or a checked-mode failure.</summary>
    private sealed class Broken(bool checkedMode) : IPeakModel
    {
        private readonly WindowTransformer _inner = new(new WindowTransformerConfig { Model = 8, Heads = 2, Layers = 1, FeedForward = 8, HeadHidden = 8 }, new Rng(1));
        public string Kind => _inner.Kind;
        public PeakTask Task => PeakTask.Window;
        public object Config => _inner.Config;
        public int WindowLength => _inner.WindowLength;
        public Module Module => _inner;

        public Tensor Forward(Tape tape, Tensor input)
        {
            if (checkedMode) throw new NonFiniteException($"Gelu: output element 5 of 120 is Infinity (checked mode, {Tape.CheckFiniteVariable}).");
            var logits = _inner.Forward(tape, input);
            logits.Data[^1] = float.NaN;
            return logits;
        }
    }

    private static (float[] Waveforms, int[][] Candidates) TwoWaveforms()
    {
        var waveforms = Enumerable.Range(0, 2 * 100).Select(i => (float)Math.Sin(i / 3.0)).ToArray();
        return (waveforms, [[20, 40], [30, 60]]);
    }

    [Fact]
    public void A_nan_score_is_an_error_naming_the_waveform_and_candidate()
    {
        var (waveforms, candidates) = TwoWaveforms();
        var scorer = new ModelScorer(new Broken(checkedMode: false), new PeakModelInfo { Task = "window" });
        var e = Assert.Throws<InputException>(() => scorer.Score(waveforms, 2, 100, candidates, firstWaveform: 500));
        Assert.Equal("window transformer: the score of waveform 501 candidate at sample 60 is NaN (input values too large for the model?)", e.Message);
    }

    [Fact]
    public void A_checked_mode_failure_is_an_error_saying_what_was_scored()
    {
        var (waveforms, candidates) = TwoWaveforms();
        var scorer = new ModelScorer(new Broken(checkedMode: true), new PeakModelInfo { Task = "window" });
        var e = Assert.Throws<InputException>(() => scorer.Score(waveforms, 2, 100, candidates, firstWaveform: 500));
        Assert.Equal("window transformer: Gelu: output element 5 of 120 is Infinity (checked mode, PEAKFORMER_CHECK_FINITE) scoring waveforms from 500", e.Message);
    }
}
