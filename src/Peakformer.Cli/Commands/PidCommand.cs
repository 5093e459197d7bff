using System.CommandLine;
using System.Globalization;
using Peakformer.Cli.Output;
using Peakformer.DriftChamber.Identification;
using Peakformer.DriftChamber.Physics;
using Peakformer.DriftChamber.Simulation;
using Peakformer.Reports;

namespace Peakformer.Cli.Commands;

/// <summary><c>peakformer pid</c>: particle separation power from per-track cluster counts, against momentum.</summary>
public static class PidCommand
{
    public static Command Create(Terminal terminal)
    {
        var defaults = new PidSettings();
        var preset = new Option<string>("--preset") { Description = "Cell and digitiser preset: fcc or cepc.", DefaultValueFactory = _ => "fcc" };
        var config = new Option<string?>("--config") { Description = "YAML or JSON file of simulation config overrides (snake_case keys)." };
        var set = new Option<string[]>("--set") { Description = "Override one simulation config value, KEY=VALUE (repeatable)." };
        var particles = new Option<string>("--particles") { Description = "The two particles to separate.", DefaultValueFactory = _ => "pion,kaon" };
        var momenta = new Option<string>("--momenta") { Description = "Comma-separated momenta in GeV/c.", DefaultValueFactory = _ => string.Join(",", defaults.MomentaGeV.Select(p => p.ToString(CultureInfo.InvariantCulture))) };
        var tracks = new Option<int>("--tracks") { Description = "Tracks per particle and momentum.", DefaultValueFactory = _ => defaults.Tracks };
        var cells = new Option<int>("--cells") { Description = "Cells crossed by each track (fcc: 150 cells are about 1.6 m of gas).", DefaultValueFactory = _ => defaults.Cells };
        var pool = new Option<int>("--pool") { Description = "Cells simulated and counted per particle and momentum; tracks draw their cells from this pool.", DefaultValueFactory = _ => defaults.Pool };
        var methods = new Option<string>("--methods")
        {
            Description = "Comma-separated counting methods: truth, truth-peaks, deriv, d2 (clusterised), peak-model checkpoints (clusterised), count-model checkpoints.",
            DefaultValueFactory = _ => string.Join(",", defaults.Methods),
        };
        var tune = new Option<string?>("--tune-data") { Description = "Dataset with truth the deriv/d2 thresholds are tuned on (default: the published typical thresholds)." };
        var s = new Option<double>("--s") { Description = "Clusterisation: a peak within s*sqrt(t[ns]) of its cluster's first peak joins it.", DefaultValueFactory = _ => defaults.ClusterisationS };
        var replicas = new Option<int>("--replicas") { Description = "Bootstrap replicas for the error of S.", DefaultValueFactory = _ => defaults.Replicas };
        var show = new Option<double>("--show-momentum") { Description = "Momentum (GeV/c) whose count distributions are drawn (the nearest studied).", DefaultValueFactory = _ => defaults.ShowMomentumGeV };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the simulation and the track draws.", DefaultValueFactory = _ => defaults.Seed };
        var output = new Option<string>("--out") { Description = "Report folder (index.html, metrics.json, SVG figures); with --shard the shard's cell pools (.npz) that merge joins into the report.", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing report folder." };
        var shard = ShardOption.Create();
        var command = new Command("pid", "Separation power of two particles from per-track cluster counts, for every counting method, against momentum, beside the ideal Poisson expectation.")
        {
            preset, config, set, particles, momenta, tracks, cells, pool, methods, tune, s, replicas, show, seed, output, force, shard,
        };
        command.SetAction(parse => CliApp.Guard(terminal, parse, () =>
        {
            var settings = new PidSettings
            {
                Config = SimulationConfigLoader.Load(parse.GetValue(preset)!, parse.GetValue(config), parse.GetValue(set) ?? []),
                Particles = CliApp.SplitList(parse.GetValue(particles)).Select(p => Particles.Parse(p, "--particles")).ToList(),
                MomentaGeV = ParseMomenta(parse.GetValue(momenta)!),
                Tracks = parse.GetValue(tracks),
                Cells = parse.GetValue(cells),
                Pool = parse.GetValue(pool),
                Methods = DriftChamber.Finders.MethodSpec.SplitList(parse.GetValue(methods)),
                TuneDataPath = parse.GetValue(tune),
                ClusterisationS = parse.GetValue(s),
                Replicas = parse.GetValue(replicas),
                ShowMomentumGeV = parse.GetValue(show),
                Seed = parse.GetValue(seed),
            };
            settings.Validate();
            if (ShardOption.Read(parse, shard) is { } part)
            {
                // A shard simulates and counts its cells of every pool; merge joins the pools and analyses them whole.
                string poolsPath = OutputPath.Check(parse.GetValue(output)!, parse.GetValue(force), "--out", parse.GetValue(config), parse.GetValue(tune));
                if (!poolsPath.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
                    throw InputException.At(null, null, "--out", "a .npz for the shard's cell pools (merge writes the report)", $"'{parse.GetValue(output)}'");
                var status = ShardOption.Status(parse, part, parse.GetValue(force), [poolsPath], parse.GetValue(config), parse.GetValue(tune));
                var pools = ShardOption.Track(status, () =>
                {
                    var p = terminal.WithProgress(progress => PidStudy.Simulate(settings, status?.Around(progress) ?? progress, part));
                    PidPoolsFile.Write(p, poolsPath);
                    return p;
                });
                terminal.Line($"wrote pool cells {pools.FirstCell:N0} to {pools.FirstCell + pools.Cells - 1:N0} of {settings.Pool:N0} (every particle and momentum) to {poolsPath}");
                return 0;
            }
            string folder = OutputPath.CheckFolder(parse.GetValue(output)!, parse.GetValue(force), "--out");
            var result = terminal.WithProgress(progress => PidStudy.Run(settings, progress));
            PidReport.Write(folder, result);
            Summarise(terminal, result);
            terminal.Line($"report: {Path.Combine(folder, "index.html")}");
            return 0;
        }));
        return command;
    }

    private static List<double> ParseMomenta(string text) => CliApp.SplitList(text).Select(p =>
        double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
            : throw new InputException($"--momenta: expected comma-separated momenta in GeV/c, found '{p}'")).ToList();

    internal static void Summarise(Terminal terminal, PidResult r)
    {
        terminal.Line($"{r.Particles[0]}/{r.Particles[1]}: {r.Tracks:N0} tracks of {r.Cells} cells ({r.TrackLengthCm:F1} cm) per point");
        terminal.Line("S at " + string.Join(", ", r.MomentaGeV.Select(p => $"{p:G4}")) + " GeV/c:");
        terminal.Line($"  ideal Poisson: {string.Join(" ", r.Methods[0].Points.Select(p => $"{p.IdealSeparation:F2}"))}");
        foreach (var m in r.Methods)
            terminal.Line($"  {m.Name}: {string.Join(" ", m.Points.Select(p => p.Separation is { } v ? $"{v:F2}±{p.SeparationError:F2}" : "-"))}");
        foreach (var c in r.Comparisons)
            terminal.Line($"{c.Method} against {c.Reference}: {(c.MeanGain >= 0 ? "+" : "")}{100 * c.MeanGain:F1}% on average");
    }
}
