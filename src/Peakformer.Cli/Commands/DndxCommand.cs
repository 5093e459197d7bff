using System.CommandLine;
using Peakformer.Cli.Output;
using Peakformer.DriftChamber.Physics;
using Peakformer.Workflows;

namespace Peakformer.Cli.Commands;

/// <summary><c>peakformer dndx</c>: clusters per cm per track from cell counts and a track map, with particle log-likelihoods.</summary>
public static class DndxCommand
{
    public static Command Create(Terminal terminal)
    {
        var counts = new Option<string?>("--counts") { Description = "Cell counts as predict writes them (file,event,n_clusters)." };
        var countColumn = new Option<string>("--count-column") { Description = "The column of --counts holding the count (e.g. a method's column of count's counts.csv).", DefaultValueFactory = _ => DriftChamber.Tracks.CountsCsv.DefaultColumn };
        var data = new Option<string?>("--data") { Description = $"Waveforms to count here instead of --counts ({Data.Waveforms.WaveformSources.Formats}, a comma list or a pattern), with --method." };
        var method = new Option<string?>("--method") { Description = "With --data: a count-model checkpoint, or deriv, d2, deriv:N1,N2,N3,N4, d2:T1,T2 (the finder's peaks clusterised), as predict takes them." };
        var read = new WaveformInputOptions();
        var s = new Option<double>("--s") { Description = "Counting with deriv/d2: a peak within s*sqrt(t[ns]) of its cluster's first peak joins it.", DefaultValueFactory = _ => DriftChamber.Counting.Clusterisation.DefaultS };
        var tracks = new Option<string?>("--tracks") { Description = "Track map CSV, one row per cell: file,event,track (optional length_cm: the path length in gas in that cell; a momentum column). Relative file names are taken from the map's folder." };
        var cellsPerTrack = new Option<int?>("--cells-per-track") { Description = "Without a map: consecutive groups of this many cells (in the counts' order, restarting at each file; a file's leftover cells are an error) make a track." };
        var cellLength = new Option<double?>("--cell-length-cm") { Description = "Path length in gas of every cell in cm (instead of the map's length_cm; needed with --cells-per-track)." };
        var truncate = new Option<double?>("--truncate") { Description = "Also write a truncated mean: keep this fraction of each track's cells, those of lowest clusters per cm (e.g. 0.8), and divide their clusters by their length." };
        var hypotheses = new Option<string?>("--hypotheses") { Description = "Particles whose Poisson log-likelihood is written per track (e.g. pion,kaon,proton), from the cluster-density table at the track's momentum." };
        var momentum = new Option<string?>("--momentum-column") { Description = "The track map's column of momentum in GeV/c (with --hypotheses; wins over --momentum)." };
        var fixedMomentum = new Option<double?>("--momentum") { Description = "With --hypotheses: one momentum in GeV/c for every track (a map without a momentum column, or --cells-per-track)." };
        var efficiency = new Option<double>("--efficiency") { Description = "With --hypotheses: the fraction of clusters the counting finds, in (0, 1]; scales the expected count (1: every cluster counted).", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Output CSV: track,cells,clusters,length_cm,dndx_per_cm[,dndx_truncated_per_cm][,loglik_PARTICLE...,best].", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an output Peakformer wrote." };
        var normalise = NormaliseOption.Create();
        var shard = ShardOption.Create();
        var command = new Command("dndx", "Clusters per cm per track (dN/dx) from cell counts and a track map, truncated mean and particle log-likelihoods.")
        {
            counts, countColumn, data, method, s, tracks, cellsPerTrack, cellLength, truncate, hypotheses, momentum, fixedMomentum, efficiency, output, force, normalise, shard,
        };
        read.AddTo(command);
        command.SetAction(parse => CliApp.Guard(terminal, parse, () =>
        {
            string? dataPath = parse.GetValue(data);
            List<string?> inputs = [parse.GetValue(counts), parse.GetValue(tracks), parse.GetValue(method)];
            inputs.AddRange(Data.Waveforms.WaveformSources.InputsOf(dataPath));
            string path = OutputPath.Check(parse.GetValue(output)!, parse.GetValue(force), "--out", [.. inputs]);
            var settings = new DndxSettings
            {
                CountsPath = parse.GetValue(counts), CountColumn = parse.GetValue(countColumn)!, DataPath = dataPath, Method = parse.GetValue(method),
                Read = read.Read(parse), ClusterisationS = parse.GetValue(s), Normalise = parse.GetValue(normalise),
                TracksPath = parse.GetValue(tracks), CellsPerTrack = parse.GetValue(cellsPerTrack), CellLengthCm = parse.GetValue(cellLength),
                Truncate = parse.GetValue(truncate),
                Hypotheses = CliApp.SplitList(parse.GetValue(hypotheses)).Select(h => Particles.Parse(h, "--hypotheses")).ToList(),
                MomentumColumn = parse.GetValue(momentum), MomentumGeV = parse.GetValue(fixedMomentum), Efficiency = parse.GetValue(efficiency), Output = path,
                Shard = ShardOption.Read(parse, shard),
            }.Validate();
            var status = ShardOption.Status(parse, settings.Shard, parse.GetValue(force), [path], [.. inputs]);
            var result = ShardOption.Track(status, () => terminal.WithProgress(p => Dndx.Run(settings, status?.Around(p) ?? p)));
            terminal.Line($"wrote dN/dx of {result.Tracks:N0} tracks ({result.Cells:N0} cells, {result.MeanDndxPerCm:F2} clusters/cm on average) to {path}");
            return 0;
        }));
        return command;
    }
}
