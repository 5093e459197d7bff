namespace Peakformer.Spectroscopy.Spectra;

/// <summary>
/// Labelled spectra in memory: N spectra of L points as rows of <see cref="Values"/> [N, L], one class index per
/// spectrum, the class names (index k names class k), the shift axis [L] in cm^-1 (strictly increasing), and the JSON
/// records that travel with the data (the generator's settings, the preprocessing pipeline applied), when known.
/// </summary>
public sealed class SpectrumSet
{
    public SpectrumSet(float[] values, int[] labels, IReadOnlyList<string> classNames, double[] wavenumbers,
        string? generatorJson = null, string? preprocessingJson = null)
    {
        if (wavenumbers.Length < 1) throw new ArgumentException("SpectrumSet: a spectrum needs at least one point.");
        if (values.Length != (long)labels.Length * wavenumbers.Length)
            throw new ArgumentException($"SpectrumSet: {values.Length} values for {labels.Length} spectra of {wavenumbers.Length} points.");
        foreach (int label in labels)
            if (label < 0 || label >= classNames.Count) throw new ArgumentException($"SpectrumSet: label {label} outside 0..{classNames.Count - 1}.");
        (Values, Labels, ClassNames, Wavenumbers, GeneratorJson, PreprocessingJson) =
            (values, labels, classNames, wavenumbers, generatorJson, preprocessingJson);
    }

    /// <summary>Most values (N * L) read into one set from a user's files: 1 GiB of float32, as the simulator's bound.</summary>
    public const long MaxValues = 1L << 28;

    /// <summary>[N, L] in C order.</summary>
    public float[] Values { get; }
    public int[] Labels { get; }
    public IReadOnlyList<string> ClassNames { get; }
    /// <summary>Raman shift of each point, cm^-1.</summary>
    public double[] Wavenumbers { get; }
    public string? GeneratorJson { get; }
    public string? PreprocessingJson { get; }

    /// <summary>False for spectra read without labels (predict): every label is 0 of the one class <see cref="UnlabelledClass"/>.</summary>
    public bool Labelled { get; init; } = true;

    public const string UnlabelledClass = "unlabelled";

    /// <summary>Spectra without labels (<see cref="Labelled"/> false).</summary>
    public static SpectrumSet Unlabelled(float[] values, int count, double[] wavenumbers) =>
        new(values, new int[count], [UnlabelledClass], wavenumbers) { Labelled = false };

    public int Count => Labels.Length;
    public int Length => Wavenumbers.Length;

    public ReadOnlySpan<float> Spectrum(int i) => Values.AsSpan(i * Length, Length);
}
