namespace Peakformer.DriftChamber.Models;

/// <summary>
/// The peak model a count model reads its peaks from, carried inside the count checkpoint so the checkpoint works
/// wherever it is copied; <paramref name="Sha256"/> is the content hash of the file it was loaded from (see
/// <see cref="Learning.Models.CheckpointHash"/>), which tells whether another checkpoint holds the same model.
/// </summary>
public sealed record CarriedPeakModel(IPeakModel Model, PeakModelInfo Info, string Sha256);
