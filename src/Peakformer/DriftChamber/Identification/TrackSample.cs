using Peakformer.Engine.Randomness;

namespace Peakformer.DriftChamber.Identification;

/// <summary>
/// Which pool cells make up each track (tracks x cells, row-major), the same for both particles so that their
/// tracks pair up. Drawn without replacement when the pool holds enough cells, else with replacement: the cells of a
/// track are independent either way, as in a real chamber. A bootstrap replica first resamples the pool itself.
/// </summary>
internal static class TrackSample
{
    public static int[] Draw(int tracks, int cells, int pool, Rng rng, bool bootstrapPool)
    {
        int n = tracks * cells;
        var chosen = new int[n];
        if (!bootstrapPool && pool >= n)
        {
            var all = Enumerable.Range(0, pool).ToArray();
            rng.Shuffle(all.AsSpan());
            Array.Copy(all, chosen, n);
            return chosen;
        }
        int[]? map = null;
        if (bootstrapPool)
        {
            map = new int[pool];
            for (int i = 0; i < pool; i++) map[i] = rng.NextInt(pool);
        }
        for (int i = 0; i < n; i++)
        {
            int cell = rng.NextInt(pool);
            chosen[i] = map is null ? cell : map[cell];
        }
        return chosen;
    }

    /// <summary>
    /// Each track's count scaled to the common track length: count * length / (sum of its cells' lengths), i.e. the
    /// measured dN/dx times the nominal length, so that the spread of path lengths does not blur the separation.
    /// </summary>
    public static double[] Counts(double[] cellCounts, double[] cellLengths, int[] chosen, int cells, double trackLengthCm)
    {
        int tracks = chosen.Length / cells;
        var result = new double[tracks];
        for (int t = 0; t < tracks; t++)
        {
            double count = 0, length = 0;
            for (int j = t * cells; j < (t + 1) * cells; j++)
            {
                count += cellCounts[chosen[j]];
                length += cellLengths[chosen[j]];
            }
            result[t] = count * trackLengthCm / length;
        }
        return result;
    }
}
