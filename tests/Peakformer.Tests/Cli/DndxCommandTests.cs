using System.Globalization;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Cli;

/// <summary>
/// <c>dndx</c> end to end (simulate, predict --model deriv, dndx): per-track sums equal the sums of predict's counts,
/// dN/dx and log-likelihoods follow from them by the formulas; hostile track maps fail with one line and no output.
/// </summary>
public class DndxCommandTests : IClassFixture<DndxCommandTests.Counted>
{
    public const int Events = 24, Tracks = 6;
    public const double Pion = 0.139570;

    /// <summary>A small simulated set and predict's deriv counts of it.</summary>
    public sealed class Counted : IDisposable
    {
        public TempFolder Folder { get; } = new();
        public string Data => Folder.File("cells.npz");
        public string Counts => Folder.File("counts.csv");
        public double[] PerCell { get; }

        public Counted()
        {
            Check(CliHarness.Run("simulate", "--events", $"{Events}", "--particle", "pion", "--momentum", "1", "--seed", "3", "--out", Data));
            Check(CliHarness.Run("predict", "--model", "deriv", "--data", Data, "--out", Counts));
            PerCell = File.ReadAllLines(Counts)[1..].Select(l => double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture)).ToArray();
        }

        public void Dispose() => Folder.Dispose();
    }

    private readonly Counted _c;

    public DndxCommandTests(Counted counted) => _c = counted;

    private static void Check((int Exit, string Output, string Error) r) => Assert.True(r.Exit == 0, r.Error + r.Output);

    private static string Track(int e) => $"trk{e % Tracks}";
    private static double Length(int e) => 0.8 + 0.05 * (e % 5);
    private static readonly double[] PionBetaGamma = [2, 3, 4, 5, 8, 10], PionDensity = [12.98, 12.2, 12.13, 12.24, 12.73, 13.03];
    private static double Momentum(int e) => Pion * PionBetaGamma[e % Tracks]; // table points of the cluster density

    /// <summary>Events interleaved over the tracks (event e on track e mod 6), listed in reverse order, with lengths and momenta.</summary>
    private string Map(string fileColumn)
    {
        string path = _c.Folder.File($"map-{Guid.NewGuid():N}.csv");
        var lines = new List<string> { "event,track,file,length_cm,p" };
        for (int e = Events - 1; e >= 0; e--)
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{e},{Track(e)},{fileColumn},{Length(e)},{Momentum(e)}"));
        File.WriteAllLines(path, lines);
        return path;
    }

    private (string[] Header, Dictionary<string, string[]> Rows) Dndx(params string[] args)
    {
        string output = _c.Folder.File($"dndx-{Guid.NewGuid():N}.csv");
        Check(CliHarness.Run(["dndx", "--out", output, .. args]));
        var lines = File.ReadAllLines(output);
        return (lines[0].Split(','), lines[1..].Select(l => l.Split(',')).ToDictionary(f => f[0]));
    }

    private static double D(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public void Track_sums_equal_the_sums_of_predicts_counts_and_give_dndx_truncation_and_log_likelihoods()
    {
        var (header, rows) = Dndx("--counts", _c.Counts, "--tracks", Map(Path.GetFileName(_c.Data)), "--truncate", "0.5",
            "--hypotheses", "pion,kaon,proton", "--momentum-column", "p");
        Assert.Equal("track,cells,clusters,length_cm,dndx_per_cm,dndx_truncated_per_cm,loglik_pion,loglik_kaon,loglik_proton,best", string.Join(",", header));
        Assert.Equal(Tracks, rows.Count);
        Assert.Equal(_c.PerCell.Sum(), rows.Values.Sum(r => D(r[2])));
        for (int t = 0; t < Tracks; t++)
        {
            var cells = Enumerable.Range(0, Events).Where(e => e % Tracks == t).ToArray();
            var r = rows[$"trk{t}"];
            double n = cells.Sum(e => _c.PerCell[e]), length = cells.Sum(Length);
            Assert.Equal("4", r[1]);
            Assert.Equal(n, D(r[2]));
            Assert.Equal(length, D(r[3]), 12);
            Assert.Equal(n / length, D(r[4]), 12);
            // --truncate 0.5 of 4 cells: the 2 of lowest clusters per cm, over their own length.
            var kept = cells.OrderBy(e => _c.PerCell[e] / Length(e)).Take(2).ToArray();
            Assert.Equal(kept.Sum(e => _c.PerCell[e]) / kept.Sum(Length), D(r[5]), 12);
            // Pion at the table's beta*gamma point (Delphes TrkUtil::Nclusters); ln P = n ln mu - mu - ln n!.
            double density = PionDensity[t];
            double mu = density * length, lnFactorial = Enumerable.Range(1, (int)n).Sum(i => Math.Log(i));
            Assert.Equal(n * Math.Log(mu) - mu - lnFactorial, D(r[6]), 9);
            var logLik = new[] { D(r[6]), D(r[7]), D(r[8]) };
            Assert.Equal(new[] { "pion", "kaon", "proton" }[Array.IndexOf(logLik, logLik.Max())], r[9]);
        }
    }

    [Fact]
    public void Counting_the_waveforms_here_gives_the_same_table_as_predicts_counts()
    {
        string map = Map(_c.Data);
        var (_, fromCounts) = Dndx("--counts", _c.Counts, "--tracks", map, "--truncate", "0.8");
        var (_, fromData) = Dndx("--data", _c.Data, "--method", "deriv", "--tracks", map, "--truncate", "0.8");
        Assert.Equal(fromCounts.Values.Select(r => string.Join(",", r)), fromData.Values.Select(r => string.Join(",", r)));
    }

    [Fact]
    public void Consecutive_cells_make_tracks_without_a_map()
    {
        var (header, rows) = Dndx("--counts", _c.Counts, "--cells-per-track", "8", "--cell-length-cm", "1.25");
        Assert.Equal("track,cells,clusters,length_cm,dndx_per_cm", string.Join(",", header));
        Assert.Equal(["0", "1", "2"], rows.Keys);
        for (int t = 0; t < 3; t++)
        {
            double n = _c.PerCell.Skip(8 * t).Take(8).Sum();
            Assert.Equal(n, D(rows[$"{t}"][2]));
            Assert.Equal(10.0, D(rows[$"{t}"][3]));
            Assert.Equal(n / 10, D(rows[$"{t}"][4]), 12);
        }
    }

    public static TheoryData<string, string, string> HostileMaps => new()
    {
        { "file,event\nF,0\n", "", "expected a column 'track'" },
        { "file,event,track,length_cm\n", "", "expected at least one cell, found no rows" },
        { "file,event,track,length_cm\nF,0,a,1\nF,1,a\n", "", ":3: expected 4 fields as in the header, found 3" },
        { "file,event,track,length_cm\nF,-1,a,1\n", "", ":2: event: expected a non-negative integer, found '-1'" },
        { "file,event,track,length_cm\nF,0,a,nan\n", "", ":2: length_cm: expected a number above 0" },
        { "file,event,track,length_cm\nF,0,a,0\n", "", ":2: length_cm: expected a number above 0" },
        { "file,event,track,length_cm\nF,0,,1\n", "", ":2: track: expected a value, found an empty field" },
        { "file,event,track,length_cm\nF,0,a,1\nF,0,b,1\n", "", ":3: event: expected each cell in one track only" },
        { "file,event,track,length_cm\nF,99,a,1\n", "", ":2: event: expected a cell that" },
        { "file,event,track,length_cm\nother.npz,0,a,1\n", "", ":2: file: expected one of the files of" },
        { "file,event,track,length_cm\n\"F,0,a,1\n", "", ":2: expected closed quotes" },
        { "file,event,track\nF,0,a\n", "", "expected a column 'length_cm'" },
        { "file,event,track,length_cm,p\nF,0,a,1,1\nF,1,a,1,2\n", "--hypotheses=pion", ":3: momentum: expected the momentum of track a on line 2 (1), found 2" },
        { "file,event,track,length_cm,p\nF,0,a,1,-1\n", "--hypotheses=pion", ":2: p: expected a number at least 0.001" },
        { "file,event,track,length_cm,p\nF,0,a,1,1e-300\n", "--hypotheses=pion", ":2: p: expected a number at least 0.001" },
        { "file,EVENT,Track,Length_CM\nF,0,a,1\nF,0,b,1\n", "", ":3: event: expected each cell in one track only" },
        { "file,event,track,length_cm,Event\nF,0,a,1,0\n", "", "Event: expected each column once" },
        { "file,event,track,length_cm\nF,0,a,1\n", "--efficiency=0", "--efficiency: expected a number in" },
        { "file,event,track,length_cm\nF,0,a,1\n", "--momentum=0", "--momentum: expected a number in [0.001" },
        { "file,event,track,length_cm\nF,0,a,1\n", "--hypotheses=pion", "p' (the momentum in GeV/c" },
        { "file,event,track,length_cm\nF,0,a,1\n", "--hypotheses=pion,pion", "--hypotheses: expected each particle once" },
        { "file,event,track,length_cm\nF,0,a,1\n", "--hypotheses=gluon", "--hypotheses: expected one of pion" },
        { "file,event,track,length_cm\nF,0,a,1\n", "--truncate=0", "--truncate: expected a number in" },
        { "file,event,track,length_cm\nF,0,a,1\n", "--cells-per-track=4", "--tracks/--cells-per-track: expected either a track map or a number of cells per track, found both" },
    };

    [Theory]
    [MemberData(nameof(HostileMaps))]
    public void A_hostile_track_map_or_option_fails_with_one_line_and_no_output(string map, string option, string expected)
    {
        string path = _c.Folder.File($"bad-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, map.Replace("F", Path.GetFileName(_c.Data)));
        string output = _c.Folder.File($"out-{Guid.NewGuid():N}.csv");
        string[] extra = option.Length == 0 ? [] : option.StartsWith("--hypotheses", StringComparison.Ordinal) ? [option, "--momentum-column=p"]
            : option.StartsWith("--efficiency", StringComparison.Ordinal) || option.StartsWith("--momentum", StringComparison.Ordinal) ? [option, "--hypotheses=pion"] : [option];
        var (exit, _, error) = CliHarness.Run(["dndx", "--counts", _c.Counts, "--tracks", path, "--out", output, .. extra]);
        Assert.Equal(1, exit);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("--efficiency=0.8", "--efficiency: expected --hypotheses to scale the expected counts of, found --efficiency 0.8 without it")]
    [InlineData("--momentum=5", "--momentum: expected --hypotheses to evaluate at the momentum, found --momentum 5 without it")]
    [InlineData("--momentum-column=p", "--momentum-column: expected --hypotheses to evaluate at the momentum, found --momentum-column p without it")]
    public void Likelihood_options_without_hypotheses_are_refused_not_ignored(string option, string expected)
    {
        string map = _c.Folder.File($"map-{Guid.NewGuid():N}.csv");
        File.WriteAllText(map, $"file,event,track,length_cm,p\n{Path.GetFileName(_c.Data)},0,a,1,5\n");
        string output = _c.Folder.File($"out-{Guid.NewGuid():N}.csv");
        var (exit, _, error) = CliHarness.Run("dndx", "--counts", _c.Counts, "--tracks", map, option, "--out", output);
        Assert.Equal(1, exit);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void A_cell_named_twice_by_a_bare_name_and_a_path_is_refused()
    {
        string path = _c.Folder.File($"twice-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, $"file,event,track,length_cm\n{Path.GetFileName(_c.Data)},0,a,1\n{_c.Data},0,b,1\n");
        string output = _c.Folder.File($"out-{Guid.NewGuid():N}.csv");
        var (exit, _, error) = CliHarness.Run("dndx", "--counts", _c.Counts, "--tracks", path, "--out", output);
        Assert.Equal(1, exit);
        Assert.Contains(":3: event: expected each cell in one track only", error);
        Assert.Contains("first on line 2", error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Counts_in_no_track_are_left_out_and_counted()
    {
        string path = _c.Folder.File($"part-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, $"file,event,track\n{_c.Data},0,a\n{_c.Data},5,a\n");
        string output = _c.Folder.File($"out-{Guid.NewGuid():N}.csv");
        var r = CliHarness.Run("dndx", "--counts", _c.Counts, "--tracks", path, "--cell-length-cm", "2", "--out", output);
        Check(r);
        Assert.Contains($"{Events - 2} of {Events} counted cells are in no track", r.Output + r.Error);
        var row = File.ReadAllLines(output)[1].Split(',');
        Assert.Equal(_c.PerCell[0] + _c.PerCell[5], D(row[2]));
        Assert.Equal(4.0, D(row[3]));
    }

    [Fact]
    public void A_file_Peakformer_did_not_write_is_never_replaced()
    {
        string output = _c.Folder.File("mine.csv");
        File.WriteAllText(output, "my notes");
        var (exit, _, error) = CliHarness.Run("dndx", "--counts", _c.Counts, "--cells-per-track", "4", "--cell-length-cm", "1", "--out", output, "--force");
        Assert.Equal(1, exit);
        Assert.Contains("--force replaces only Peakformer's own outputs", error);
        Assert.Equal("my notes", File.ReadAllText(output));
        var (exit2, _, error2) = CliHarness.Run("dndx", "--counts", _c.Counts, "--cells-per-track", "5", "--cell-length-cm", "1", "--out", _c.Folder.File("x.csv"));
        Assert.Equal(1, exit2);
        Assert.Contains("--cells-per-track: expected the cells of each file in whole groups of 5 (tracks do not span files), found 4 cells left over in", error2);
    }

    [Fact]
    public void Consecutive_groups_restart_at_each_file_and_a_leftover_is_an_error()
    {
        string counts = _c.Folder.File($"two-files-{Guid.NewGuid():N}.csv");
        File.WriteAllText(counts, "file,event,n_clusters\na.npz,0,1\na.npz,1,2\na.npz,2,3\nb.npz,0,10\nb.npz,1,20\nb.npz,2,30\n");
        var (_, rows) = Dndx("--counts", counts, "--cells-per-track", "3", "--cell-length-cm", "1");
        Assert.Equal(6.0, D(rows["0"][2]));
        Assert.Equal(60.0, D(rows["1"][2]));
        string output = _c.Folder.File($"out-{Guid.NewGuid():N}.csv");
        var (exit, _, error) = CliHarness.Run("dndx", "--counts", counts, "--cells-per-track", "2", "--cell-length-cm", "1", "--out", output);
        Assert.Equal(1, exit);
        Assert.Contains("found 1 cells left over in a.npz", error); // not a track of a.npz event 2 and b.npz event 0
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Relative_file_names_in_a_map_are_taken_from_the_maps_folder()
    {
        string folder = Path.Combine(_c.Folder.Path, $"maps-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        string map = Path.Combine(folder, "map.csv");
        File.WriteAllLines(map, ["file,event,track", $"../{Path.GetFileName(_c.Data)},0,a", $"../{Path.GetFileName(_c.Data)},1,a"]);
        var (_, rows) = Dndx("--counts", _c.Counts, "--tracks", map, "--cell-length-cm", "1");
        Assert.Equal(_c.PerCell[0] + _c.PerCell[1], D(rows["a"][2]));
    }

    [Fact]
    public void A_fixed_momentum_and_an_efficiency_give_the_poisson_log_likelihood_of_the_scaled_table()
    {
        // Pion at beta*gamma 2 (a table point: 12.98 clusters/cm), 8 cells of 1.25 cm, 90% of clusters counted.
        string output = _c.Folder.File($"dndx-{Guid.NewGuid():N}.csv");
        var r = CliHarness.Run("dndx", "--counts", _c.Counts, "--cells-per-track", "8", "--cell-length-cm", "1.25", "--hypotheses", "pion",
            "--momentum", (2 * Pion).ToString("R", CultureInfo.InvariantCulture), "--efficiency", "0.9", "--out", output);
        Check(r);
        Assert.Contains("cluster-counting efficiency", r.Output + r.Error);
        var rows = File.ReadAllLines(output)[1..].Select(l => l.Split(',')).ToArray();
        for (int t = 0; t < 3; t++)
        {
            double n = _c.PerCell.Skip(8 * t).Take(8).Sum(), mu = 0.9 * 12.98 * 10;
            Assert.Equal(n * Math.Log(mu) - mu - Enumerable.Range(1, (int)n).Sum(i => Math.Log(i)), D(rows[t][5]), 9);
        }
    }

    [Fact]
    public void The_map_column_wins_over_momentum_and_low_beta_gamma_is_warned_about_with_numbers()
    {
        string map = _c.Folder.File($"map-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(map, ["file,event,track,p", $"{_c.Data},0,a,0.05", $"{_c.Data},1,b,1"]);
        string output = _c.Folder.File($"dndx-{Guid.NewGuid():N}.csv");
        var r = CliHarness.Run("dndx", "--counts", _c.Counts, "--tracks", map, "--cell-length-cm", "1", "--hypotheses", "pion",
            "--momentum-column", "p", "--momentum", "7", "--out", output);
        Check(r);
        string text = r.Output + r.Error;
        Assert.Contains("the column 'p' gives each track's momentum; --momentum 7 is not used", text);
        // 0.05 GeV/c pion: beta*gamma 0.05 / 0.13957 = 0.358, below the table's 0.5.
        Assert.Contains("warning: 1 tracks below the cluster-density table's beta*gamma 0.5 as pion", text);
        Assert.Contains("track a, 0.05 GeV/c, beta*gamma 0.358", text);
        var rows = File.ReadAllLines(output)[1..].Select(l => l.Split(',')).ToDictionary(f => f[0]);
        // Track b at the column's 1 GeV/c (not --momentum's 7): beta*gamma 7.165, interpolated in log(beta*gamma) between the table's 5 and 8.
        double mu = 12.24 + Math.Log(1 / Pion / 5) / Math.Log(8.0 / 5) * (12.73 - 12.24), n = _c.PerCell[1];
        Assert.Equal(n * Math.Log(mu) - mu - Enumerable.Range(1, (int)n).Sum(i => Math.Log(i)), D(rows["b"][5]), 9);
    }
}
