using System.Text.Json;
using Peakformer.Data.Npy;

namespace Peakformer.DriftChamber.Identification;

/// <summary>
/// A pid shard's pools as an .npz: <c>pid_plan</c> (the plan as JSON), <c>show_momentum_gev</c>, <c>first_cell</c>,
/// <c>seconds</c>, <c>counts</c> float64 [momenta, 2, methods, cells] and <c>length_cm</c> float64 [momenta, 2, cells].
/// <see cref="Join"/> puts the shards' cells back together, so the analysis (tracks, separation, bootstrap errors)
/// runs on the single run's pools.
/// </summary>
public static class PidPoolsFile
{
    public const string PlanKey = "pid_plan";

    private static readonly JsonSerializerOptions Json = Reports.ReportJson.Options;

    /// <summary>Whether an .npz holds pid pools (rather than waveforms).</summary>
    public static bool Is(string path)
    {
        using var npz = new NpzReader(path);
        return npz.Contains(PlanKey);
    }

    public static void Write(PidPools p, string path)
    {
        int momenta = p.Pools.GetLength(0), methods = p.Plan.Methods.Count, cells = p.Cells;
        var counts = new double[(long)momenta * 2 * methods * cells];
        var lengths = new double[(long)momenta * 2 * cells];
        for (int m = 0; m < momenta; m++)
            for (int k = 0; k < 2; k++)
            {
                var pool = p.Pools[m, k];
                for (int j = 0; j < methods; j++) pool.Counts[j].CopyTo(counts, ((long)(m * 2 + k) * methods + j) * cells);
                pool.LengthCm.CopyTo(lengths, (long)(m * 2 + k) * cells);
            }
        using var npz = new NpzWriter(path);
        npz.Add(PlanKey, NpyArray.Scalar(JsonSerializer.Serialize(p.Plan with { Seconds = 0 }, Json)));
        npz.Add("show_momentum_gev", NpyArray.Scalar(p.ShowMomentumGeV));
        npz.Add("first_cell", NpyArray.Of(new long[] { p.FirstCell }));
        npz.Add("seconds", NpyArray.Scalar(p.Plan.Seconds));
        npz.Add("counts", NpyArray.Of(counts, momenta, 2, methods, cells));
        npz.Add("length_cm", NpyArray.Of(lengths, momenta, 2, cells));
        npz.Commit();
    }

    public static PidPools Read(string path)
    {
        using var npz = new NpzReader(path);
        string json = One(npz, PlanKey).As<string>(PlanKey)[0];
        PidResult? plan;
        try { plan = JsonSerializer.Deserialize<PidResult>(json, Json); }
        catch (JsonException e) { throw new InputException($"{path} [{PlanKey}]: expected a pid plan (JSON), found {JsonErrors.Reason(e)}"); }
        if (plan is null || plan.MomentaGeV.Length == 0 || plan.Methods.Count == 0 || plan.Particles.Length != 2)
            throw new InputException($"{path} [{PlanKey}]: expected a pid plan with momenta, methods and two particles");
        double show = One(npz, "show_momentum_gev").ToDoubles("show_momentum_gev")[0];
        long first = One(npz, "first_cell").ToLongs("first_cell")[0];
        double seconds = One(npz, "seconds").ToDoubles("seconds")[0];
        int momenta = plan.MomentaGeV.Length, methods = plan.Methods.Count;
        var countsHeader = npz.Header("counts");
        if (countsHeader.Type != NpyType.Float64 || countsHeader.Shape.Length != 4 || countsHeader.Shape[0] != momenta || countsHeader.Shape[1] != 2 || countsHeader.Shape[2] != methods
            || countsHeader.Shape[3] < 1 || first < 0 || first + countsHeader.Shape[3] > plan.Pool)
            throw InputException.At($"{path} [counts]", null, "shape", $"float64 ({momenta}, 2, {methods}, cells) within the pool of {plan.Pool}", $"({string.Join(", ", countsHeader.Shape)}) from cell {first}");
        int cells = (int)countsHeader.Shape[3];
        var lengthHeader = npz.Header("length_cm");
        if (lengthHeader.Type != NpyType.Float64 || !lengthHeader.Shape.SequenceEqual(new long[] { momenta, 2, cells }))
            throw InputException.At($"{path} [length_cm]", null, "shape", $"float64 ({momenta}, 2, {cells})", $"({string.Join(", ", lengthHeader.Shape)})");
        var counts = npz.Read("counts").ToDoubles("counts");
        var lengths = npz.Read("length_cm").ToDoubles("length_cm");
        var pools = new CellPool[momenta, 2];
        for (int m = 0; m < momenta; m++)
            for (int k = 0; k < 2; k++)
                pools[m, k] = new CellPool(
                    Enumerable.Range(0, methods).Select(j => counts.AsSpan((int)(((long)(m * 2 + k) * methods + j) * cells), cells).ToArray()).ToArray(),
                    lengths.AsSpan((m * 2 + k) * cells, cells).ToArray());
        return new PidPools(plan with { Seconds = seconds }, show, (int)first, pools);
    }

    /// <summary>
    /// The shards' pools, in shard order, as one: the plans must be equal and the cells must follow each other from
    /// the first to the last of the pool. The time is the shards' total.
    /// </summary>
    public static PidPools Join(IReadOnlyList<string> paths)
    {
        var parts = paths.Select(Read).ToList();
        var first = parts[0];
        string plan = JsonSerializer.Serialize(first.Plan with { Seconds = 0 }, Json);
        int next = 0;
        for (int i = 0; i < parts.Count; i++)
        {
            if (JsonSerializer.Serialize(parts[i].Plan with { Seconds = 0 }, Json) != plan || parts[i].ShowMomentumGeV != first.ShowMomentumGeV)
                throw new InputException($"{paths[i]}: its pid settings differ from {paths[0]}'s: not shards of one study");
            if (parts[i].FirstCell != next)
                throw new InputException($"{paths[i]}: expected pool cells from {next}, found from {parts[i].FirstCell}");
            next += parts[i].Cells;
        }
        if (next != first.Plan.Pool) throw new InputException($"{paths[^1]}: expected pool cells up to {first.Plan.Pool}, found up to {next}");
        int momenta = first.Pools.GetLength(0), methods = first.Plan.Methods.Count;
        var pools = new CellPool[momenta, 2];
        for (int m = 0; m < momenta; m++)
            for (int k = 0; k < 2; k++)
                pools[m, k] = new CellPool(
                    Enumerable.Range(0, methods).Select(j => parts.SelectMany(p => p.Pools[m, k].Counts[j]).ToArray()).ToArray(),
                    parts.SelectMany(p => p.Pools[m, k].LengthCm).ToArray());
        return new PidPools(first.Plan with { Seconds = parts.Sum(p => p.Plan.Seconds) }, first.ShowMomentumGeV, 0, pools);
    }

    private static NpyArray One(NpzReader npz, string name)
    {
        if (!npz.Contains(name)) throw new InputException($"{npz.Path}: expected pid pools with array '{name}'; found only {string.Join(", ", npz.Keys.Order())}");
        long count = npz.Header(name).Count;
        if (count != 1) throw InputException.At($"{npz.Path} [{name}]", null, "shape", "one value", $"{count} values");
        return npz.Read(name);
    }
}
