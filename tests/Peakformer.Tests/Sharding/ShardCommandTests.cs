using Peakformer.Sharding;
using Peakformer.Tests.Cli;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Sharding;

/// <summary>
/// --shard and merge end to end: simulate, predict (peaks of a window model, counts and peaks of deriv, a count
/// model's counts) and count without truth, each run as N shards and merged, give the single run's files byte for
/// byte; merge refuses shards that are not one job's, whole, in one line.
/// </summary>
public class ShardCommandTests(CountCommandTests.Trained t) : IClassFixture<CountCommandTests.Trained>
{
    private static void Ok((int Exit, string Output, string Error) r) => Assert.True(r.Exit == 0, r.Error + r.Output);

    /// <summary>Runs the command once whole and as <paramref name="shards"/> shards (outputs NAME.EXT and NAMEi.EXT), and merges each output.</summary>
    private static void SameAsSingle(TempFolder folder, int shards, string[] outputs, Func<string, string[]> outputArgs, params string[] args)
    {
        Ok(CliHarness.Run([.. args, .. outputArgs("")]));
        for (int i = shards - 1; i >= 0; i--) // any order
            Ok(CliHarness.Run([.. args, .. outputArgs($"{i}"), "--shard", $"{i}/{shards}"]));
        foreach (string output in outputs)
        {
            string name = Path.GetFileNameWithoutExtension(output), ext = Path.GetExtension(output);
            string merged = folder.File($"{name}-merged{ext}");
            Ok(CliHarness.Run(["merge", "--out", merged, .. Enumerable.Range(0, shards).Select(i => folder.File($"{name}{i}{ext}"))]));
            Assert.True(File.ReadAllBytes(folder.File(output)).SequenceEqual(File.ReadAllBytes(merged)), $"{output}: merged shards differ from the single run");
        }
    }

    [Fact]
    public void Simulate_shards_merged_are_the_single_runs_file()
    {
        using var folder = new TempFolder();
        SameAsSingle(folder, 3, ["sim.npz"], s => ["--out", folder.File($"sim{s}.npz")],
            "simulate", "--events", "100", "--particle", "pion:0.5,kaon:0.5", "--momentum", "2:20", "--seed", "5");
        var status = ShardStatus.Read(folder.File("sim1.npz.status.json"));
        Assert.Equal((1, 3, ShardStatus.Done, 33L, 33L), (status.ShardIndex, status.ShardCount, status.State, status.ItemsDone, status.ItemsTotal));
        Assert.Equal("--events 100 --momentum 2:20 --particle pion:0.5,kaon:0.5 --seed 5", status.Settings);
        var summary = CliHarness.Run("status", folder.Path);
        Assert.True(summary.Exit == 0, summary.Error);
        Assert.Contains("shards: 3 done, 0 running, 0 silent (no update for 5 min), 0 failed, 0 not started, of 3", summary.Output);
        Assert.Contains("items: 100 of 100", summary.Output);
    }

    [Fact]
    public void Predict_shards_merged_are_the_single_runs_tables()
    {
        using var folder = new TempFolder();
        string data = folder.File("data.npz");
        Ok(CliHarness.Run("simulate", "--events", "600", "--seed", "8", "--out", data));
        // Peaks of a window model (chunks of 64: 10 chunks over 4 shards).
        SameAsSingle(folder, 4, ["peaks.csv"], s => ["--out", folder.File($"peaks{s}.csv")], "predict", "--model", t.Window, "--data", data);
        // deriv's counts and peaks, written together (chunks of 256: 3 chunks over 4 shards, so one shard has none).
        SameAsSingle(folder, 4, ["counts.csv", "dpeaks.csv"], s => ["--out", folder.File($"counts{s}.csv"), "--peaks", folder.File($"dpeaks{s}.csv")],
            "predict", "--model", "deriv", "--data", data);
        // A count model, over a file set of two files.
        SameAsSingle(folder, 2, ["model.csv"], s => ["--out", folder.File($"model{s}.csv")], "predict", "--model", t.Count, "--data", $"{data},{t.Test}");
        Assert.Equal(601 + 40, File.ReadAllLines(folder.File("model.csv")).Length);
    }

    [Fact]
    public void Dndx_shards_merged_are_the_single_runs_tracks()
    {
        using var folder = new TempFolder();
        string data = folder.File("data.npz"), counts = folder.File("cells.csv");
        Ok(CliHarness.Run("simulate", "--events", "230", "--particle", "kaon", "--seed", "4", "--out", data));
        Ok(CliHarness.Run("predict", "--model", "deriv", "--data", data, "--out", counts));
        // 23 tracks of 10 cells over 4 shards: 5, 6, 6, 6 tracks.
        SameAsSingle(folder, 4, ["dndx.csv"], s => ["--out", folder.File($"dndx{s}.csv")],
            "dndx", "--counts", counts, "--cells-per-track", "10", "--cell-length-cm", "1.2", "--truncate", "0.8", "--hypotheses", "pion,kaon", "--momentum", "5");
        Assert.Equal(24, File.ReadAllLines(folder.File("dndx.csv")).Length);
        Assert.Equal(6 + 1, File.ReadAllLines(folder.File("dndx1.csv")).Length);
    }

    // Waveforms counted by dndx itself: 700 cells in chunks of 256, so tracks straddle chunks (track 25 holds rows
    // 250-259) and a shard counts only the chunks its tracks need, each as the single run counts it.
    [Fact]
    public void Dndx_data_shards_merged_are_the_single_runs_tracks_for_every_shard_count()
    {
        using var folder = new TempFolder();
        string data = folder.File("data.npz");
        Ok(CliHarness.Run("simulate", "--events", "700", "--particle", "pion:0.5,kaon:0.5", "--momentum", "2:20", "--seed", "6", "--out", data));
        string[] consecutive = ["dndx", "--data", data, "--method", "deriv", "--cells-per-track", "10", "--cell-length-cm", "1.2", "--truncate", "0.8", "--hypotheses", "pion,kaon", "--momentum", "5"];
        for (int n = 1; n <= 4; n++)
            SameAsSingle(folder, n, [$"c{n}.csv"], s => ["--out", folder.File($"c{n}{s}.csv")], consecutive);
        // 70 tracks over 4 shards: shard 0 writes tracks 0-16 (rows 0-169) and counts chunk 0 alone, not all 700 cells.
        var status = ShardStatus.Read(folder.File("c40.csv.status.json"));
        Assert.Equal(256, status.ItemsTotal);
        Assert.Equal(17 + 1, File.ReadAllLines(folder.File("c40.csv")).Length);
        Assert.Equal(70 + 1, File.ReadAllLines(folder.File("c4.csv")).Length);
        // A track map whose tracks take every 7th cell (each track spans every chunk) and leaves 30 cells out.
        var map = new System.Text.StringBuilder("file,event,track,length_cm\n");
        for (int row = 0; row < 670; row++) map.Append($"data.npz,{row},t{row % 7},1.1\n");
        File.WriteAllText(folder.File("map.csv"), map.ToString());
        for (int n = 1; n <= 4; n++)
            SameAsSingle(folder, n, [$"m{n}.csv"], s => ["--out", folder.File($"m{n}{s}.csv")], "dndx", "--data", data, "--method", "d2", "--tracks", folder.File("map.csv"));
        Assert.Equal(7 + 1, File.ReadAllLines(folder.File("m3.csv")).Length);
    }

    [Fact]
    public void Count_without_truth_shards_merge_to_its_counts_table()
    {
        using var folder = new TempFolder();
        string data = GoldenFiles.Path("wf_f32.npz");
        Ok(CliHarness.Run("count", "--data", $"{data},{data}", "--classical", "deriv,d2", "--out", folder.File("single")));
        Ok(CliHarness.Run("count", "--data", $"{data},{data}", "--classical", "deriv,d2", "--out", folder.File("s0"), "--shard", "0/2"));
        Ok(CliHarness.Run("count", "--data", $"{data},{data}", "--classical", "deriv,d2", "--out", folder.File("s1"), "--shard", "1/2"));
        Ok(CliHarness.Run("merge", "--out", folder.File("merged.csv"), Path.Combine(folder.File("s1"), "counts.csv"), Path.Combine(folder.File("s0"), "counts.csv")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(folder.File("single"), "counts.csv")), File.ReadAllBytes(folder.File("merged.csv")));
    }

    /// <summary>A report's files with the time it took left out (metrics.json's seconds, the page's "Evaluated in N s").</summary>
    private static Dictionary<string, string> ReportWithoutTime(string report) => Directory.GetFiles(report).ToDictionary(f => Path.GetFileName(f)!, f =>
        System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(f), "\"seconds\": [^,\n]*|Evaluated in [0-9,.]+ s", ""))!;

    // count on simulated data (with truth): 700 waveforms are 3 chunks of 256, so 4 shards leave one empty. The
    // merged report is computed from the joined per-waveform counts, as the single run computes it.
    [Fact]
    public void Count_with_truth_shards_merged_give_the_single_runs_report_for_every_shard_count()
    {
        using var folder = new TempFolder();
        string data = folder.File("data.npz");
        Ok(CliHarness.Run("simulate", "--events", "700", "--particle", "pion:0.5,kaon:0.5", "--momentum", "2:20", "--seed", "9", "--out", data));
        string[] args = ["count", "--data", data, "--models", t.Count, "--classical", "deriv", "--train-data", t.Train, "--momentum-bins", "3"];
        Ok(CliHarness.Run([.. args, "--out", folder.File("single")]));
        var single = ReportWithoutTime(folder.File("single"));
        Assert.Contains("metrics.json", single.Keys);
        Assert.Contains("\"by_particle\"", single["metrics.json"]);
        for (int n = 1; n <= 4; n++)
        {
            for (int i = n - 1; i >= 0; i--) Ok(CliHarness.Run([.. args, "--out", folder.File($"pools{n}-{i}.npz"), "--shard", $"{i}/{n}"]));
            string merged = folder.File($"merged{n}");
            Ok(CliHarness.Run(["merge", "--out", merged, .. Enumerable.Range(0, n).Reverse().Select(i => folder.File($"pools{n}-{i}.npz"))]));
            var files = ReportWithoutTime(merged);
            Assert.Equal(single.Keys.Order(), files.Keys.Order());
            foreach (var (name, text) in single) Assert.True(text == files[name], $"{name}: merged {n} shards differ from the single run");
        }
        using (var empty = new Peakformer.Data.Npy.NpzReader(folder.File("pools4-0.npz")))
            Assert.Equal(0, empty.Header("counts").Shape[1]); // blocks floor(3 i / 4) to floor(3 (i + 1) / 4): shard 0 of 4 gets none
        // Shards of another evaluation (other settings) are not joined with these.
        Ok(CliHarness.Run([.. args[..^1], "1", "--out", folder.File("other.npz"), "--shard", "1/2"]));
        var mixed = CliHarness.Run("merge", "--out", folder.File("mixed"), folder.File("pools2-0.npz"), folder.File("other.npz"));
        Assert.Equal(1, mixed.Exit);
        Assert.Contains("not shards of one job", mixed.Error);
        var folderOut = CliHarness.Run([.. args, "--out", folder.File("report"), "--shard", "0/2"]);
        Assert.Equal(1, folderOut.Exit);
        Assert.Contains("--out: expected a .npz", folderOut.Error);
    }

    [Fact]
    public void Pid_shards_merged_give_the_single_runs_report()
    {
        using var folder = new TempFolder();
        string[] args = ["pid", "--momenta", "5,10", "--tracks", "40", "--cells", "20", "--pool", "1100", "--replicas", "5", "--methods", "truth,deriv", "--seed", "3"];
        Ok(CliHarness.Run([.. args, "--out", folder.File("single")]));
        // 1,100 cells in chunks of 512: cells 0-511, 512-1023, 1024-1099.
        for (int i = 0; i < 3; i++) Ok(CliHarness.Run([.. args, "--out", folder.File($"pools{i}.npz"), "--shard", $"{i}/3"]));
        Ok(CliHarness.Run("merge", "--out", folder.File("merged"), folder.File("pools2.npz"), folder.File("pools0.npz"), folder.File("pools1.npz")));
        // Figure for figure: the time it took aside, the separations, their bootstrap errors and the figures are the single run's.
        static string WithoutTime(string path) => System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(path), "\"seconds\": [^,\n]*", "");
        Assert.Equal(WithoutTime(Path.Combine(folder.File("single"), "metrics.json")), WithoutTime(Path.Combine(folder.File("merged"), "metrics.json")));
        Assert.Contains("separation_error", File.ReadAllText(Path.Combine(folder.File("merged"), "metrics.json")));
        foreach (string svg in Directory.GetFiles(folder.File("single"), "*.svg"))
            Assert.Equal(File.ReadAllBytes(svg), File.ReadAllBytes(Path.Combine(folder.File("merged"), Path.GetFileName(svg))));
        // Two shards of another study (another seed) are not merged with these.
        Ok(CliHarness.Run([.. args[..^1], "4", "--out", folder.File("other1.npz"), "--shard", "1/3"]));
        var mixed = CliHarness.Run("merge", "--out", folder.File("mixed"), folder.File("pools0.npz"), folder.File("other1.npz"), folder.File("pools2.npz"));
        Assert.Equal(1, mixed.Exit);
        Assert.Contains("not shards of one job", mixed.Error);
    }

    [Fact]
    public void Merge_refuses_shards_that_are_not_one_whole_job()
    {
        using var folder = new TempFolder();
        string data = GoldenFiles.Path("wf_f32.npz");
        (int Exit, string Output, string Error) Predict(string output, string shard, string model = "deriv") =>
            CliHarness.Run("predict", "--model", model, "--data", data, "--out", folder.File(output), "--shard", shard);
        Ok(Predict("a0.csv", "0/3"));
        Ok(Predict("a1.csv", "1/3"));
        Ok(Predict("a2.csv", "2/3"));
        Ok(Predict("b1.csv", "1/2"));
        Ok(Predict("d1.csv", "1/3", "d2"));
        File.WriteAllText(folder.File("user.csv"), "file,event,n_clusters\n");
        string Merge(params string[] inputs)
        {
            var r = CliHarness.Run(["merge", "--out", folder.File("m.csv"), .. inputs.Select(folder.File)]);
            Assert.Equal(1, r.Exit);
            Assert.Single(r.Error.Trim().Split('\n'));
            Assert.False(File.Exists(folder.File("m.csv")));
            return r.Error;
        }
        Assert.Contains("missing 2/3", Merge("a0.csv", "a1.csv"));
        Assert.Contains("shard 1/3 given twice", Merge("a0.csv", "a1.csv", "a1.csv", "a2.csv"));
        Assert.Contains("not shards of one job", Merge("a0.csv", "b1.csv", "a2.csv"));
        Assert.Contains("settings '--in", Merge("a0.csv", "d1.csv", "a2.csv"));
        Assert.Contains("no shard status lists it", Merge("a0.csv", "user.csv", "a2.csv"));
        // A shard still running (or killed while running) is not merged.
        string status = folder.File("a2.csv.status.json");
        File.WriteAllText(status, File.ReadAllText(status).Replace("\"done\"", "\"running\""));
        Assert.Contains("shard 2/3 is running, not done", Merge("a0.csv", "a1.csv", "a2.csv"));
        // The output rules of every command: not over a user's file, with or without --force.
        Assert.Contains("file exists (use --force", Predict("a2.csv", "2/3").Error);
        Assert.Contains("a2.csv.status.json: was changed since Peakformer wrote it", CliHarness.Run("predict", "--model", "deriv", "--data", data, "--out", folder.File("a2.csv"), "--shard", "2/3", "--force").Error);
        File.Delete(status); // the edited status moved away, the shard is run again
        Ok(CliHarness.Run("predict", "--model", "deriv", "--data", data, "--out", folder.File("a2.csv"), "--shard", "2/3", "--force"));
        Ok(CliHarness.Run("merge", "--out", folder.File("m.csv"), folder.File("a0.csv"), folder.File("a1.csv"), folder.File("a2.csv")));
        var user = CliHarness.Run("merge", "--out", folder.File("user.csv"), "--force", folder.File("a0.csv"), folder.File("a1.csv"), folder.File("a2.csv"));
        Assert.Equal(1, user.Exit);
        Assert.Contains("--force replaces only Peakformer's own outputs", user.Error);
    }

    // A shard's output rewritten by another run into the same path (here the whole job, unsharded) keeps the old
    // status beside it: merge must not join it as that shard's part.
    [Fact]
    public void Merge_refuses_an_output_rewritten_since_its_shard_finished()
    {
        using var folder = new TempFolder();
        string data = GoldenFiles.Path("wf_f32.npz");
        (int Exit, string Output, string Error) Predict(string output, params string[] more) =>
            CliHarness.Run(["predict", "--model", "deriv", "--data", data, "--out", folder.File(output), .. more]);
        Ok(Predict("a0.csv", "--shard", "0/2"));
        Ok(Predict("a1.csv", "--shard", "1/2"));
        Ok(Predict("a1.csv", "--force"));
        var r = CliHarness.Run("merge", "--out", folder.File("m.csv"), folder.File("a0.csv"), folder.File("a1.csv"));
        Assert.Equal(1, r.Exit);
        Assert.Single(r.Error.Trim().Split('\n'));
        Assert.Contains("a1.csv: ", r.Error);
        Assert.Contains("since shard 1/2 finished", r.Error);
        Assert.False(File.Exists(folder.File("m.csv")));
    }

    // Results brought back from a cluster land in another folder than the shards wrote: merge matches each output
    // by its place relative to its status, and still refuses one changed since its shard finished.
    [Fact]
    public void Merge_joins_a_moved_folder_of_shards_and_refuses_a_tampered_output()
    {
        using var folder = new TempFolder();
        string data = GoldenFiles.Path("wf_f32.npz"), run = folder.File("run");
        Directory.CreateDirectory(run);
        Ok(CliHarness.Run("predict", "--model", "deriv", "--data", data, "--out", folder.File("counts.csv"), "--peaks", folder.File("peaks.csv")));
        for (int i = 0; i < 3; i++)
            Ok(CliHarness.Run("predict", "--model", "deriv", "--data", data, "--out", Path.Combine(run, $"counts{i}.csv"), "--peaks", Path.Combine(run, $"peaks{i}.csv"), "--shard", $"{i}/3"));
        string moved = folder.File("back");
        Directory.Move(run, moved);
        string Shards(string name, int i) => Path.Combine(moved, $"{name}{i}.csv");
        foreach (string name in new[] { "counts", "peaks" })
        {
            Ok(CliHarness.Run(["merge", "--out", folder.File($"{name}-merged.csv"), .. Enumerable.Range(0, 3).Select(i => Shards(name, i))]));
            Assert.Equal(File.ReadAllBytes(folder.File($"{name}.csv")), File.ReadAllBytes(folder.File($"{name}-merged.csv")));
        }
        File.SetLastWriteTimeUtc(Shards("peaks", 1), File.GetLastWriteTimeUtc(Shards("peaks", 1)).AddSeconds(5)); // touched by someone
        var r = CliHarness.Run(["merge", "--out", folder.File("m.csv"), .. Enumerable.Range(0, 3).Select(i => Shards("peaks", i))]);
        Assert.Equal(1, r.Exit);
        Assert.Single(r.Error.Trim().Split('\n'));
        Assert.Contains("peaks1.csv: written at", r.Error);
        Assert.Contains("since shard 1/3 finished", r.Error);
        Assert.False(File.Exists(folder.File("m.csv")));
    }

    [Theory]
    [InlineData("\"outputs\": [", "\"outputs\": null, \"x\": [")]
    [InlineData("\"command\": \"predict\"", "\"command\": null")]
    [InlineData("\"state\": \"done\"", "\"state\": null")]
    public void A_status_without_a_required_field_is_a_one_line_error(string field, string replacement)
    {
        using var folder = new TempFolder();
        Ok(CliHarness.Run("predict", "--model", "deriv", "--data", GoldenFiles.Path("wf_f32.npz"), "--out", folder.File("a0.csv"), "--shard", "0/1"));
        string status = folder.File("a0.csv.status.json");
        string text = File.ReadAllText(status);
        Assert.Contains(field, text);
        File.WriteAllText(status, text.Replace(field, replacement));
        var r = CliHarness.Run("merge", "--out", folder.File("m.csv"), folder.File("a0.csv"));
        Assert.Equal(1, r.Exit);
        Assert.StartsWith("error: ", r.Error);
        Assert.Single(r.Error.Trim().Split('\n'));
        Assert.Contains("a0.csv.status.json", r.Error);
    }
}
