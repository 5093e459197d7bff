using System.Globalization;
using Peakformer.Progress;
using Peakformer.Spectroscopy.Models;
using Peakformer.Spectroscopy.Preprocessing;
using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Spectroscopy.Evaluation;

/// <summary>
/// Spectra as a checkpoint reads them: labels mapped onto the model's classes by name (<see cref="Relabel"/>), the
/// data's own preprocessing required to be what the model's training data had (<see cref="CheckPreprocessing"/>), the
/// checkpoint's preprocessing pipeline applied again (always: the model was trained on its output), and the result
/// required on the model's axis, point for point. A set on another grid is an error unless the pipeline resamples it
/// onto the model's.
/// </summary>
public static class SpectrumInput
{
    /// <summary>Relative tolerance of an axis point (float32 storage of a double grid, and a resample's arithmetic).</summary>
    public const double AxisTolerance = 1e-6;

    public static SpectrumSet Prepare(string modelPath, SpectrumModelInfo info, SpectrumSet raw, string source, IProgressReporter progress)
    {
        raw = Relabel(modelPath, info, raw, source);
        var pipeline = SpectrumCheckpoint.Pipeline(modelPath, info);
        CheckPreprocessing(modelPath, info, pipeline, raw, source);
        string where = $"{modelPath}: preprocessing";
        var axis = pipeline is null ? raw.Wavenumbers : pipeline.Axes(raw.Wavenumbers, where)[^1];
        if (!Same(axis, info.Axis))
            throw new InputException($"{source}: spectra on {Describe(raw.Wavenumbers)}{(pipeline is null ? "" : $" ({Describe(axis)} after the model's preprocessing {pipeline.Spec})")}, " +
                $"the model {modelPath} reads {Describe(info.Axis)}: resample them onto its grid (preprocess --steps resample:...) or train on theirs");
        return pipeline is null ? raw : pipeline.Apply(raw, progress, where);
    }

    /// <summary>
    /// The set with its labels as the model's class indices and the model's class names: by name, so a test set with
    /// fewer classes or another order is scored against the right classes. By index only when the data's names are the
    /// defaults 0..K-1 (an .npz without class_names, numeric text labels), which name no class, or the model's are (it was
    /// trained on such data): then the data's names are kept for the report.
    /// </summary>
    public static SpectrumSet Relabel(string modelPath, SpectrumModelInfo info, SpectrumSet raw, string source)
    {
        var model = info.ClassNames;
        if (IsDefault(raw.ClassNames))
        {
            if (raw.ClassNames.Count > model.Count)
                throw InputException.At(source, null, "y", $"class indices below the {model.Count} classes of the model {modelPath}", $"{raw.ClassNames.Count} classes (no class names to match by)");
            return new SpectrumSet(raw.Values, raw.Labels, model, raw.Wavenumbers, raw.GeneratorJson, raw.PreprocessingJson);
        }
        if (IsDefault(model))
        {
            if (raw.ClassNames.Count > model.Count)
                throw InputException.At(source, null, "class_names", $"at most the {model.Count} classes of the model {modelPath} (trained without class names: matched by index)", $"{raw.ClassNames.Count} classes");
            return raw;
        }
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < model.Count; k++) index.TryAdd(model[k], k);
        var map = new int[raw.ClassNames.Count];
        for (int c = 0; c < map.Length; c++)
            if (!index.TryGetValue(raw.ClassNames[c], out map[c]))
                throw InputException.At(source, null, "class_names", $"classes of the model {modelPath} ({Names(model)})", $"'{raw.ClassNames[c]}'");
        return new SpectrumSet(raw.Values, Array.ConvertAll(raw.Labels, l => map[l]), model, raw.Wavenumbers, raw.GeneratorJson, raw.PreprocessingJson);
    }

    /// <summary>
    /// The steps the data already went through (its preprocessing_json) must be those the model's training data had
    /// (<see cref="SpectrumModelInfo.InputPreprocessing"/>): missing ones would be skipped silently, and the model's own
    /// pipeline found there would be applied twice.
    /// </summary>
    public static void CheckPreprocessing(string modelPath, SpectrumModelInfo info, PreprocessingPipeline? pipeline, SpectrumSet raw, string source)
    {
        string had = raw.PreprocessingJson is { } json ? PreprocessingPipeline.FromJson(json, $"{source}: preprocessing_json").Spec : "";
        string expected = info.InputPreprocessing;
        if (had == expected) return;
        string where = $"{source}: preprocessing_json: the model {modelPath} was trained on spectra preprocessed with '{Show(expected)}' before its own pipeline '{Show(pipeline?.Spec ?? "")}'";
        if (pipeline is not null && had == Join(expected, pipeline.Spec))
            throw new InputException($"{where}; these already went through its pipeline too ('{had}'): give it the spectra from before that step, it applies its pipeline itself");
        if (expected.StartsWith(had, StringComparison.Ordinal) && (had.Length == 0 || expected[had.Length] == ','))
            throw new InputException($"{where}; these lack '{expected[(had.Length == 0 ? 0 : had.Length + 1)..]}': run preprocess --steps {expected[(had.Length == 0 ? 0 : had.Length + 1)..]} on them first");
        throw new InputException($"{where}; these were preprocessed with '{Show(had)}': preprocess the raw spectra with --steps {Show(expected)} instead");
    }

    private static string Join(string a, string b) => a.Length == 0 ? b : b.Length == 0 ? a : a + "," + b;

    private static string Show(string spec) => spec.Length == 0 ? "none" : spec;

    private static bool IsDefault(IReadOnlyList<string> names)
    {
        for (int k = 0; k < names.Count; k++)
            if (names[k] != k.ToString(CultureInfo.InvariantCulture)) return false;
        return true;
    }

    private static string Names(IReadOnlyList<string> names) =>
        string.Join(", ", names.Take(8)) + (names.Count > 8 ? $", ... ({names.Count})" : "");

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
