using Peakformer.Learning.Models;

namespace Peakformer.DriftChamber.Models;

/// <summary>
/// The peak model a count model reads its peaks from, carried inside the count checkpoint so the checkpoint works
/// wherever it is copied. <paramref name="Sha256"/> is the hash of the file it was loaded from, as recorded (see
/// <see cref="CheckpointHash"/>); <see cref="ContentHash"/> is computed from the weights and info as loaded, so it is
/// what tells whether another checkpoint holds the same model (a stored hash is only a claim).
/// </summary>
public sealed record CarriedPeakModel(IPeakModel Model, PeakModelInfo Info, string Sha256)
{
    public string ContentHash { get; } = Hash(Model, Info);

    private static string Hash(IPeakModel model, PeakModelInfo info)
    {
        var (tensors, metadata) = PeakCheckpoint.Contents(model, info);
        return CheckpointHash.OfContents(tensors, metadata);
    }
}
