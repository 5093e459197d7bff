using System.Diagnostics;
using Peakformer.DriftChamber.Counting;
using Peakformer.DriftChamber.Physics;
using Peakformer.Engine.Randomness;
using Peakformer.Progress;

namespace Peakformer.DriftChamber.Identification;

/// <summary>
/// Particle identification by cluster counting: for each momentum, a pool of cells is simulated for each particle
/// and counted by every method; tracks of --cells cells are drawn from the pools (the same cells for both
/// particles), each track's count is scaled to the nominal track length, and the separation power S is taken from
/// the two distributions. Its error is the spread of S over bootstrap replicas (pool and tracks redrawn).
/// </summary>
public static class PidStudy
{
    public static PidResult Run(PidSettings s, IProgressReporter progress)
    {
        var clock = Stopwatch.StartNew();
        var result = Analyse(Simulate(s, progress));
        result.Seconds = clock.Elapsed.TotalSeconds;
        return result;
    }

    /// <summary>
    /// The cell pools: every pool cell simulated and counted by every method, or with <paramref name="shard"/> the
    /// shard's cells of every pool (whole chunks of <see cref="CellPool.Chunk"/>, simulated as the single run
    /// simulates them), for <c>merge</c> to join and analyse.
    /// </summary>
    public static PidPools Simulate(PidSettings s, IProgressReporter progress, Sharding.Shard? shard = null)
    {
        s.Validate();
        var clock = Stopwatch.StartNew();
        var methods = new PidMethods(s.Config.SamplingNs, s.ClusterisationS, s.TuneDataPath, s.TuneEvents);
        var counters = s.Methods.Select(methods.Create).ToList();
        int momenta = s.MomentaGeV.Count;
        if ((long)s.Tracks * s.Cells > s.Pool)
            progress.Note($"pid: tracks draw their {s.Cells} cells with replacement from pools of {s.Pool:N0} cells " +
                $"({(long)s.Tracks * s.Cells:N0} would be needed for all-distinct cells); the bootstrap error includes the pool's own fluctuation");
        var (first, end) = Sharding.Shard.RangeOf(shard, s.Pool, CellPool.Chunk);
        int cells = (int)(end - first);
        if (cells == 0) throw new InputException($"--shard {shard}: no pool cells for this shard ({s.Pool:N0} cells cut at chunks of {CellPool.Chunk}); use fewer shards");
        var pools = new CellPool[momenta, 2];
        using (var task = progress.Start($"pid: simulating and counting {2L * momenta * cells:N0} cells with {counters.Count} methods", 2L * momenta * cells, "cells"))
            for (int m = 0; m < momenta; m++)
                for (int k = 0; k < 2; k++)
                {
                    string detail = $"{Particles.Name(s.Particles[k])} at {s.MomentaGeV[m]:G4} GeV/c";
                    pools[m, k] = CellPool.Simulate(s.Config, s.Particles[k], s.MomentaGeV[m], cells, PoolSeed(s.Seed, m), counters, n => task.Advance(n, detail), (int)first);
                }
        var labels = Learning.Models.ModelLabels.Distinct(counters.Select(c => (c.Name, c.ModelFile)).ToList());
        var plan = new PidResult
        {
            Particles = [Particles.Name(s.Particles[0]), Particles.Name(s.Particles[1])],
            Preset = s.Config.Preset,
            Tracks = s.Tracks,
            Cells = s.Cells,
            Pool = s.Pool,
            ClusterisationS = s.ClusterisationS,
            TuningData = s.TuneDataPath,
            Replicas = s.Replicas,
            Seed = s.Seed,
            MomentaGeV = s.MomentaGeV.ToArray(),
            Methods = counters.Select((c, k) => new PidMethodResult { Name = labels[k], Kind = c.Kind, Settings = c.Settings }).ToList(),
            Seconds = clock.Elapsed.TotalSeconds,
        };
        return new PidPools(plan, s.ShowMomentumGeV, (int)first, pools);
    }

    /// <summary>Tracks drawn from whole pools, the separation of every method at every momentum and its bootstrap error.</summary>
    public static PidResult Analyse(PidPools p)
    {
        var plan = p.Plan;
        if (p.FirstCell != 0 || p.Cells != plan.Pool)
            throw new InvalidOperationException($"pid: pools of cells {p.FirstCell} to {p.FirstCell + p.Cells - 1}, expected all {plan.Pool}");
        var pools = p.Pools;
        var (a, b) = (Particles.Parse(plan.Particles[0], "particles"), Particles.Parse(plan.Particles[1], "particles"));
        int momenta = plan.MomentaGeV.Length, methods = plan.Methods.Count;
        double cellLength = pools.Cast<CellPool>().SelectMany(c => c.LengthCm).Average();
        double trackLength = plan.Cells * cellLength;
        var results = plan.Methods.Select(m => m with { Points = [] }).ToList();
        int show = Enumerable.Range(0, momenta).MinBy(m => Math.Abs(plan.MomentaGeV[m] - p.ShowMomentumGeV));
        var distributions = new List<PidDistribution>();
        for (int m = 0; m < momenta; m++)
        {
            double momentum = plan.MomentaGeV[m];
            var replicas = new double[methods][];
            for (int k = 0; k < methods; k++) replicas[k] = new double[plan.Replicas];
            var main = Tracks(pools[m, 0], pools[m, 1], plan, trackLength, Rng.ForStream(plan.Seed, StreamOf(m, 0)), bootstrap: false);
            for (int r = 1; r <= plan.Replicas; r++)
            {
                var replica = Tracks(pools[m, 0], pools[m, 1], plan, trackLength, Rng.ForStream(plan.Seed, StreamOf(m, r)), bootstrap: true);
                for (int k = 0; k < methods; k++) replicas[k][r - 1] = SeparationOf(replica.A[k], replica.B[k]).S;
            }
            double ideal = Separation.IdealPoisson(a, b, momentum, trackLength);
            for (int k = 0; k < methods; k++)
            {
                var (meanA, sigmaA, meanB, sigmaB, separation) = SeparationOf(main.A[k], main.B[k]);
                var finite = replicas[k].Where(double.IsFinite).ToArray();
                double error = finite.Length >= 2 ? Separation.Moments(finite).Sigma : double.NaN;
                results[k].Points.Add(new PidPoint(momentum, meanA, sigmaA, meanB, sigmaB, double.IsFinite(separation) ? separation : null, error, ideal));
                if (m == show) distributions.Add(Histogram(results[k].Name, momentum, main.A[k], main.B[k]));
            }
        }

        return plan with
        {
            CellLengthCm = cellLength,
            TrackLengthCm = trackLength,
            Methods = results,
            Comparisons = Compare(results),
            Distributions = distributions,
        };
    }

    /// <summary>Both particles at one momentum share a seed (paired cells); momenta get their own, so their errors are independent.</summary>
    private static ulong PoolSeed(ulong seed, int momentum) => Rng.Mix(seed, (ulong)momentum);

    private static ulong StreamOf(int momentum, int replica) => (ulong)momentum << 32 | (uint)replica;

    /// <summary>Track counts of every method for both particles: A[method][track], B[method][track].</summary>
    private static (double[][] A, double[][] B) Tracks(CellPool a, CellPool b, PidResult s, double trackLength, Rng rng, bool bootstrap)
    {
        var chosen = TrackSample.Draw(s.Tracks, s.Cells, s.Pool, rng, bootstrap);
        int methods = a.Counts.Length;
        var countsA = new double[methods][];
        var countsB = new double[methods][];
        for (int k = 0; k < methods; k++)
        {
            countsA[k] = TrackSample.Counts(a.Counts[k], a.LengthCm, chosen, s.Cells, trackLength);
            countsB[k] = TrackSample.Counts(b.Counts[k], b.LengthCm, chosen, s.Cells, trackLength);
        }
        return (countsA, countsB);
    }

    private static (double MeanA, double SigmaA, double MeanB, double SigmaB, double S) SeparationOf(double[] a, double[] b)
    {
        var (meanA, sigmaA) = Separation.Moments(a);
        var (meanB, sigmaB) = Separation.Moments(b);
        return (meanA, sigmaA, meanB, sigmaB, Separation.Power(meanA, sigmaA, meanB, sigmaB));
    }

    private static PidDistribution Histogram(string method, double momentum, double[] a, double[] b)
    {
        const int bins = 40;
        double lo = Math.Floor(Math.Min(a.Min(), b.Min())), hi = Math.Ceiling(Math.Max(a.Max(), b.Max()));
        if (hi <= lo) hi = lo + 1;
        var edges = Enumerable.Range(0, bins + 1).Select(i => lo + (hi - lo) * i / bins).ToArray();
        long[] Fill(double[] values)
        {
            var counts = new long[bins];
            foreach (double v in values) counts[Math.Clamp((int)((v - lo) / (hi - lo) * bins), 0, bins - 1)]++;
            return counts;
        }
        return new PidDistribution(method, momentum, edges, Fill(a), Fill(b));
    }

    /// <summary>Truth counting against the ideal Poisson S; every model against every classical finder.</summary>
    private static List<PidComparison> Compare(List<PidMethodResult> methods)
    {
        var comparisons = new List<PidComparison>();
        foreach (var truth in methods.Where(m => m.Kind == "truth"))
            comparisons.Add(Gain(truth.Name, "ideal Poisson", truth.Points.Select(p => p.Separation).ToArray(), truth.Points.Select(p => (double?)p.IdealSeparation).ToArray()));
        foreach (var model in methods.Where(m => m.Kind == "model"))
            foreach (var classical in methods.Where(m => m.Kind == "classical"))
                comparisons.Add(Gain(model.Name, classical.Name, model.Points.Select(p => p.Separation).ToArray(), classical.Points.Select(p => p.Separation).ToArray()));
        return comparisons;
    }

    private static PidComparison Gain(string method, string reference, double?[] s, double?[] sReference)
    {
        var gains = s.Zip(sReference, (x, y) => x is { } v && y is { } w && w > 0 ? v / w - 1 : double.NaN).ToArray();
        var finite = gains.Where(double.IsFinite).ToArray();
        return new PidComparison(method, reference, gains, finite.Length > 0 ? finite.Average() : double.NaN);
    }
}
