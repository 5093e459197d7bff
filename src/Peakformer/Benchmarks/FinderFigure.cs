namespace Peakformer.Benchmarks;

/// <summary>
/// One finder at one thread count: waveforms/s over the held-out set (median of the rounds), its peak-finding F1,
/// efficiency and purity on that set (null for a counter, which finds no peaks), and the bytes allocated per batch
/// once warm. <paramref name="Runtime"/> is "Peakformer" or "ONNX Runtime"; <paramref name="Note"/> says when the
/// weights were untrained.
/// </summary>
public sealed record FinderFigure(string Finder, string Runtime, int Threads, int Batch, double WaveformsPerSecond,
    double? F1, double? Efficiency, double? Purity, double BytesPerBatch, string? Note);
