using Peakformer.Data.Waveforms;
using Peakformer.Learning.Training;

namespace Peakformer.DriftChamber.Training;

/// <summary>
/// Whole waveforms with per-bin targets: bin t is 1 when a truth electron's pulse peaks within
/// <c>labelWidth</c> samples of t. The selected waveforms are loaded once.
/// </summary>
public sealed class PerBinExamples : IExamples
{
    private readonly float[] _waveforms;
    private readonly byte[] _targets;

    public PerBinExamples(WaveformDataset data, int[] events, int labelWidth, NoiseAugmentation? augmentation = null, double? normaliseTo = null)
    {
        data.RequireTruth("per-bin training");
        if (labelWidth < 0) throw new InputException($"--label-width: expected zero or more samples, found {labelWidth}");
        int l = data.Samples;
        InputSize = l;
        _waveforms = data.ReadWaveforms(events);
        augmentation?.Apply(_waveforms, l, data.SamplingNs, events);
        if (normaliseTo is { } noise) Inputs.AmplitudeNormalisation.Apply(_waveforms, l, data.SamplingNs, noise);
        _targets = new byte[(long)events.Length * l];
        for (int i = 0; i < events.Length; i++) Targets(data, events[i], labelWidth, _targets.AsSpan(i * l, l));
        Events = events;
    }

    public int[] Events { get; }
    public int Count => Events.Length;
    public int InputSize { get; }
    public int TargetSize => InputSize;
    public string Unit => "waveforms";

    /// <summary>Fraction of bins that are targets (for choosing a positive weight).</summary>
    public double PositiveFraction => _targets.Average(t => (double)t);

    public static void Targets(WaveformDataset data, int evt, int width, Span<byte> targets)
    {
        targets.Clear();
        foreach (int p in data.TruthPeaks(evt))
            for (int t = Math.Max(0, p - width); t <= Math.Min(targets.Length - 1, p + width); t++) targets[t] = 1;
    }

    public void Fill(ReadOnlySpan<int> indices, Span<float> inputs, Span<float> targets)
    {
        int l = InputSize;
        for (int i = 0; i < indices.Length; i++)
        {
            _waveforms.AsSpan(indices[i] * l, l).CopyTo(inputs.Slice(i * l, l));
            var t = _targets.AsSpan(indices[i] * l, l);
            for (int k = 0; k < l; k++) targets[i * l + k] = t[k];
        }
    }
}
