namespace Peakformer.DriftChamber.Identification;

/// <summary>
/// The simulated and counted cell pools of a pid study (Pools[momentum, particle]), cells [FirstCell, FirstCell +
/// Cells) of each, with the plan that analyses them: <see cref="PidResult"/> without points (particles, momenta,
/// tracks, cells, pool, replicas, seed, the methods' names, kinds and settings) and the momentum whose distributions
/// are drawn. A shard's pools are a part; <see cref="PidPoolsFile.Join"/> makes them whole again.
/// </summary>
public sealed record PidPools(PidResult Plan, double ShowMomentumGeV, int FirstCell, CellPool[,] Pools)
{
    public int Cells => Pools[0, 0].LengthCm.Length;
}
