using System.Globalization;
using Peakformer.Progress;
using Peakformer.Spectroscopy.Models;
using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Spectroscopy.Evaluation;

/// <summary>
/// Spectra as a checkpoint reads them: the checkpoint's preprocessing pipeline applied again (always: the model was
/// trained on its output), and the result required on the model's axis, point for point. A set on another grid is an
/// error unless the pipeline resamples it onto the model's.
/// </summary>
public static class SpectrumInput
{
    /// <summary>Relative tolerance of an axis point (float32 storage of a double grid, and a resample's arithmetic).</summary>
    public const double AxisTolerance = 1e-6;

    public static SpectrumSet Prepare(string modelPath, SpectrumModelInfo info, SpectrumSet raw, string source, IProgressReporter progress)
    {
        if (raw.ClassNames.Count > info.ClassNames.Count)
            throw new InputException($"{source}: {raw.ClassNames.Count} classes, the model {modelPath} knows {info.ClassNames.Count}");
        var pipeline = SpectrumCheckpoint.Pipeline(modelPath, info);
        string where = $"{modelPath}: preprocessing";
        var axis = pipeline is null ? raw.Wavenumbers : pipeline.Axes(raw.Wavenumbers, where)[^1];
        if (!Same(axis, info.Axis))
            throw new InputException($"{source}: spectra on {Describe(raw.Wavenumbers)}{(pipeline is null ? "" : $" ({Describe(axis)} after the model's preprocessing {pipeline.Spec})")}, " +
                $"the model {modelPath} reads {Describe(info.Axis)}: resample them onto its grid (preprocess --steps resample:...) or train on theirs");
        return pipeline is null ? raw : pipeline.Apply(raw, progress, where);
    }

    /// <summary>Whether two axes have the same points (within <see cref="AxisTolerance"/> of the larger magnitude, at least 1).</summary>
    public static bool Same(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count) return false;
        for (int k = 0; k < a.Count; k++)
            if (!(Math.Abs(a[k] - b[k]) <= AxisTolerance * Math.Max(1, Math.Max(Math.Abs(a[k]), Math.Abs(b[k]))))) return false;
        return true;
    }

    /// <summary>"1000 points 200..2000 cm^-1".</summary>
    public static string Describe(IReadOnlyList<double> axis) =>
        $"{axis.Count} points {axis[0].ToString("G6", CultureInfo.InvariantCulture)}..{axis[^1].ToString("G6", CultureInfo.InvariantCulture)} cm^-1";
}
