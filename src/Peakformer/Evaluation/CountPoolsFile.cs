using System.Text.Json;
using Peakformer.Data.Npy;

namespace Peakformer.Evaluation;

/// <summary>
/// A <c>count</c> shard's pools as an .npz: <c>count_plan</c> (the plan as JSON), <c>first_waveform</c>,
/// <c>seconds</c>, <c>truth</c>, <c>momentum_gev</c> float64 [waveforms], <c>particle</c> int32 [waveforms] and
/// <c>counts</c> float64 [methods, waveforms]. <see cref="Join"/> puts the shards' waveforms back together, so the
/// analysis runs on the single run's pools.
/// </summary>
public static class CountPoolsFile
{
    public const string PlanKey = "count_plan";

    private static readonly JsonSerializerOptions Json = Reports.ReportJson.Options;

    public static void Write(CountPools p, string path)
    {
        int methods = p.Plan.Methods.Count, n = p.Truth.Length;
        var counts = new double[(long)methods * n];
        for (int k = 0; k < methods; k++) p.Counts[k].CopyTo(counts, (long)k * n);
        using var npz = new NpzWriter(path);
        npz.Add(PlanKey, NpyArray.Scalar(PlanText(p.Plan)));
        npz.Add("first_waveform", NpyArray.Of(new long[] { p.FirstWaveform }));
        npz.Add("seconds", NpyArray.Scalar(p.Plan.Seconds));
        npz.Add("truth", NpyArray.Of(p.Truth));
        npz.Add("momentum_gev", NpyArray.Of(p.MomentumGeV));
        npz.Add("particle", NpyArray.Of(p.Particles));
        npz.Add("counts", NpyArray.Of(counts, methods, n));
        npz.Commit();
    }

    public static CountPools Read(string path)
    {
        using var npz = new NpzReader(path);
        string json = One(npz, PlanKey).As<string>(PlanKey)[0];
        CountPlan? plan;
        try { plan = JsonSerializer.Deserialize<CountPlan>(json, Json); }
        catch (JsonException e) { throw new InputException($"{path} [{PlanKey}]: expected a count plan (JSON), found {JsonErrors.Reason(e)}"); }
        if (plan is null || plan.Data is null || plan.Methods is null || plan.Training is null || plan.Methods.Count == 0 || plan.Waveforms < 0
            || plan.MomentumBins is < 1 or > CountEvaluationSettings.MaxMomentumBins || !double.IsFinite(plan.ClusterisationS)
            || plan.Methods.Any(m => m?.Name is null || m.Kind is null || m.Settings is null)
            || plan.Training.Any(t => t?.Name is null || t.Path is null || t.Data is null || t.History is null || t.History.Any(e => e is null)))
            throw new InputException($"{path} [{PlanKey}]: expected a count plan with data, methods (name, kind, settings), training histories and 1 to {CountEvaluationSettings.MaxMomentumBins} momentum bins");
        long first = One(npz, "first_waveform").ToLongs("first_waveform")[0];
        double seconds = One(npz, "seconds").ToDoubles("seconds")[0];
        int methods = plan.Methods.Count;
        var header = npz.Header("counts");
        if (header.Type != NpyType.Float64 || header.Shape.Length != 2 || header.Shape[0] != methods || first < 0 || first + header.Shape[1] > plan.Waveforms)
            throw InputException.At($"{path} [counts]", null, "shape", $"float64 ({methods}, waveforms) within the run's {plan.Waveforms}", $"({string.Join(", ", header.Shape)}) from waveform {first}");
        int n = (int)header.Shape[1];
        double[] Column(string name, NpyType type)
        {
            var h = npz.Header(name);
            if (h.Type != type || !h.Shape.SequenceEqual(new long[] { n }))
                throw InputException.At($"{path} [{name}]", null, "shape", $"{type} ({n})", $"{h.Type} ({string.Join(", ", h.Shape)})");
            return npz.Read(name).ToDoubles(name);
        }
        var truth = Column("truth", NpyType.Float64);
        var momentum = Column("momentum_gev", NpyType.Float64);
        var particles = Column("particle", NpyType.Int32).Select(v => (int)v).ToArray();
        var counts = npz.Read("counts").ToDoubles("counts");
        return new CountPools(plan with { Seconds = seconds }, (int)first, truth, momentum, particles,
            Enumerable.Range(0, methods).Select(k => counts.AsSpan(k * n, n).ToArray()).ToArray());
    }

    /// <summary>
    /// The shards' pools, in shard order, as one: the plans must be equal and the waveforms must follow each other
    /// from the first to the last of the run. The time is the shards' total.
    /// </summary>
    public static CountPools Join(IReadOnlyList<string> paths)
    {
        var parts = paths.Select(Read).ToList();
        var first = parts[0];
        string plan = PlanText(first.Plan);
        int next = 0;
        for (int i = 0; i < parts.Count; i++)
        {
            if (PlanText(parts[i].Plan) != plan)
                throw new InputException($"{paths[i]}: its count settings differ from {paths[0]}'s: not shards of one evaluation");
            if (parts[i].FirstWaveform != next)
                throw new InputException($"{paths[i]}: expected waveforms from {next}, found from {parts[i].FirstWaveform}");
            next += parts[i].Truth.Length;
        }
        if (next != first.Plan.Waveforms) throw new InputException($"{paths[^1]}: expected waveforms up to {first.Plan.Waveforms}, found up to {next}");
        return new CountPools(first.Plan with { Seconds = parts.Sum(p => p.Plan.Seconds) }, 0,
            [.. parts.SelectMany(p => p.Truth)], [.. parts.SelectMany(p => p.MomentumGeV)], [.. parts.SelectMany(p => p.Particles)],
            Enumerable.Range(0, first.Plan.Methods.Count).Select(k => parts.SelectMany(p => p.Counts[k]).ToArray()).ToArray());
    }

    private static string PlanText(CountPlan plan) => JsonSerializer.Serialize(plan with { Seconds = 0 }, Json);

    private static NpyArray One(NpzReader npz, string name)
    {
        if (!npz.Contains(name)) throw new InputException($"{npz.Path}: expected count pools with array '{name}'; found only {string.Join(", ", npz.Keys.Order())}");
        long count = npz.Header(name).Count;
        if (count != 1) throw InputException.At($"{npz.Path} [{name}]", null, "shape", "one value", $"{count} values");
        return npz.Read(name);
    }
}
