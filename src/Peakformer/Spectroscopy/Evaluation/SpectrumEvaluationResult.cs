namespace Peakformer.Spectroscopy.Evaluation;

/// <summary>Spectrum models on one labelled set (metrics.json of the spectrum report).</summary>
public sealed record SpectrumEvaluationResult
{
    public string Task { get; init; } = global::Peakformer.Spectroscopy.Models.SpectrumModels.SpectrumTask;
    public required string Data { get; init; }
    public required int Spectra { get; init; }
    public required IReadOnlyList<string> ClassNames { get; init; }
    public required IReadOnlyList<SpectrumModelResult> Models { get; init; }
}
