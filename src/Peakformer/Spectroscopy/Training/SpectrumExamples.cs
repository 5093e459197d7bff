using Peakformer.Engine.Randomness;
using Peakformer.Learning.Training;
using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Spectroscopy.Training;

/// <summary>
/// Spectra of a (preprocessed) <see cref="SpectrumSet"/> (the given rows) as training examples: input the L points,
/// target the class index, or with <see cref="MixedTargets"/> the triple (class a, class b, lambda) that mixup's loss
/// reads (unmixed examples give (y, y, 1)). With augmentation, spectrum r in epoch e draws its transforms from
/// <c>Rng.Mix(Rng.Mix(seed, e), r)</c>: the same (seed, epoch, spectrum) gives the same input whatever the batch,
/// order or thread count. Draw order: mixup partner and lambda, roll, scale, offset, slope, then one normal per point.
/// </summary>
public sealed class SpectrumExamples : IExamples
{
    private readonly int[] _rows;
    private readonly Rng _draws = new(0);
    private readonly float[] _mixed, _rolled;
    private readonly double[] _normals;

    public SpectrumExamples(SpectrumSet set, int[] rows, SpectrumAugmentation augmentation, ulong seed, bool mixedTargets = false)
    {
        augmentation.Validate();
        if (augmentation.Mixup > 0 && !mixedTargets) throw new ArgumentException("SpectrumExamples: mixup needs mixed targets.");
        foreach (int r in rows)
            if (r < 0 || r >= set.Count) throw new ArgumentOutOfRangeException(nameof(rows), $"SpectrumExamples: row {r} outside the set's {set.Count} spectra.");
        (Set, _rows, Augmentation, Seed, MixedTargets) = (set, rows, augmentation, seed, mixedTargets);
        _mixed = new float[set.Length];
        _rolled = new float[set.Length];
        _normals = new double[set.Length];
    }

    /// <summary>Every spectrum of the set, as it is (evaluation and prediction).</summary>
    public static SpectrumExamples All(SpectrumSet set) => new(set, Enumerable.Range(0, set.Count).ToArray(), SpectrumAugmentation.None, 0);

    public SpectrumSet Set { get; }
    public IReadOnlyList<int> Rows => _rows;
    public SpectrumAugmentation Augmentation { get; }
    public ulong Seed { get; }
    /// <summary>Targets are (class a, class b, lambda) triples, for <see cref="Learning.Objectives.MixedTargetObjective"/>.</summary>
    public bool MixedTargets { get; }
    public int Epoch { get; private set; }

    public int Count => _rows.Length;
    public int InputSize => Set.Length;
    public int TargetSize => MixedTargets ? 3 : 1;
    public string Unit => "spectra";

    public void BeginEpoch(int epoch) => Epoch = epoch;

    /// <summary>What spectrum <paramref name="row"/> draws in the current epoch (one caller at a time); the noise draws go to <paramref name="normals"/>.</summary>
    public SpectrumDraw Draw(int row, Span<double> normals)
    {
        var a = Augmentation;
        var rng = _draws;
        rng.Reseed(Rng.Mix(Rng.Mix(Seed, (ulong)Epoch), (ulong)row));
        int partner = row;
        double lambda = 1;
        if (a.Mixup > 0)
        {
            partner = _rows[rng.NextInt(_rows.Length)];
            double g1 = rng.Gamma(a.Mixup, 1), g2 = rng.Gamma(a.Mixup, 1);
            lambda = g1 + g2 > 0 ? g1 / (g1 + g2) : 1;
        }
        int roll = a.Roll > 0 ? rng.NextInt(2 * a.Roll + 1) - a.Roll : 0;
        double factor = a.Scale > 0 ? rng.Uniform(1 - a.Scale, 1 + a.Scale) : 1;
        double offset = a.Offset > 0 ? rng.Uniform(-a.Offset, a.Offset) : 0;
        double slope = a.Slope > 0 ? rng.Uniform(-a.Slope, a.Slope) : 0;
        if (a.Noise > 0)
            for (int k = 0; k < normals.Length; k++) normals[k] = rng.NextNormal();
        return new SpectrumDraw(partner, lambda, roll, factor, offset, slope);
    }

    public void Fill(ReadOnlySpan<int> indices, Span<float> inputs, Span<float> targets)
    {
        int length = Set.Length;
        for (int i = 0; i < indices.Length; i++)
        {
            int r = _rows[indices[i]];
            var output = inputs.Slice(i * length, length);
            int partner = r;
            double lambda = 1;
            if (!Augmentation.Enabled) Set.Spectrum(r).CopyTo(output);
            else
            {
                var d = Draw(r, _normals);
                (partner, lambda) = (d.Partner, d.Lambda);
                SpectrumTransform.Mix(Set.Spectrum(r), Set.Spectrum(partner), d.Lambda, _mixed);
                SpectrumTransform.Roll(_mixed, d.Roll, _rolled);
                SpectrumTransform.ScaleAndBaseline(_rolled, d.Factor, d.Offset, d.Slope);
                if (Augmentation.Noise > 0) SpectrumTransform.AddNoise(_rolled, Augmentation.Noise, _normals);
                _rolled.CopyTo(output);
            }
            if (MixedTargets)
            {
                targets[3 * i] = Set.Labels[r];
                targets[3 * i + 1] = Set.Labels[partner];
                targets[3 * i + 2] = (float)lambda;
            }
            else targets[i] = Set.Labels[r];
        }
    }
}

