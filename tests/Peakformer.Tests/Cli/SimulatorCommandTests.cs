using Peakformer.Engine.Threading;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Cli;

[Collection(SharedPoolCollection.Name)]
public class SimulatorCommandTests
{
    [Fact]
    public void The_same_seed_gives_identical_files_for_any_thread_count()
    {
        using var folder = new TempFolder();
        int previous = WorkerPool.Shared.Threads;
        try
        {
            Assert.Equal(0, CliHarness.Run("simulate", "--events", "300", "--seed", "5", "--particle", "pion:1,kaon:1", "--momentum", "2:20", "--threads", "1", "--out", folder.File("a.npz")).Exit);
            Assert.Equal(0, CliHarness.Run("simulate", "--events", "300", "--seed", "5", "--particle", "pion:1,kaon:1", "--momentum", "2:20", "--threads", "2", "--out", folder.File("b.npz")).Exit);
            Assert.Equal(0, CliHarness.Run("simulate", "--events", "300", "--seed", "6", "--particle", "pion:1,kaon:1", "--momentum", "2:20", "--threads", "2", "--out", folder.File("c.npz")).Exit);
        }
        finally
        {
            WorkerPool.SetSharedThreads(previous);
        }
        Assert.Equal(File.ReadAllBytes(folder.File("a.npz")), File.ReadAllBytes(folder.File("b.npz")));
        Assert.NotEqual(File.ReadAllBytes(folder.File("a.npz")), File.ReadAllBytes(folder.File("c.npz")));
    }

    [Fact]
    public void Every_shift_knob_together_gives_identical_files_for_any_thread_count()
    {
        // Cross-talk runs the chunk in two passes; pink noise and drift draw after the signal: none may depend on the threads.
        using var folder = new TempFolder();
        int previous = WorkerPool.Shared.Threads;
        string[] knobs = ["--set", "crosstalk_fraction=0.1", "--set", "noise_pink_rms=0.01", "--set", "baseline_drift=0.02", "--set", "baseline_drift_period_ns=200", "--set", "gain=1.1"];
        try
        {
            Assert.Equal(0, CliHarness.Run(["simulate", "--events", "150", "--seed", "5", "--threads", "1", "--out", folder.File("a.npz"), .. knobs]).Exit);
            Assert.Equal(0, CliHarness.Run(["simulate", "--events", "150", "--seed", "5", "--threads", "2", "--out", folder.File("b.npz"), .. knobs]).Exit);
        }
        finally
        {
            WorkerPool.SetSharedThreads(previous);
        }
        Assert.Equal(File.ReadAllBytes(folder.File("a.npz")), File.ReadAllBytes(folder.File("b.npz")));
    }

    [Theory]
    [InlineData("--preset lhc", "--preset: expected one of fcc, cepc, found 'lhc'")]
    [InlineData("--particle tau", "--particle: expected one of pion, kaon, muon, proton, electron, found 'tau'")]
    [InlineData("--momentum -5", "--momentum: expected a positive momentum")]
    [InlineData("--momentum 0", "--momentum: expected a positive momentum")]
    [InlineData("--events 0", "--events: expected a whole number in [1, 100000000], found 0")]
    [InlineData("--set noise_rms=-1", "config: noise_rms: expected zero or more, found -1")]
    [InlineData("--set noize_rms=1", "--set: noize_rms: expected one of the config keys")]
    public void Bad_simulation_settings_are_one_line_errors(string args, string message)
    {
        using var folder = new TempFolder();
        string output = folder.File("x.npz");
        string[] events = args.Contains("--events") ? [] : ["--events", "10"];
        var (exit, _, error) = CliHarness.Run(["simulate", .. events, .. args.Split(' '), "--out", output]);
        Assert.Equal(1, exit);
        Assert.Contains(message, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Output_problems_are_reported_and_nothing_is_left_behind()
    {
        using var folder = new TempFolder();
        var (exit, _, error) = CliHarness.Run("simulate", "--events", "10", "--out", folder.File("no/such/folder/x.npz"));
        Assert.Equal(1, exit);
        Assert.Contains("does not exist", error);

        string existing = folder.File("old.npz");
        File.WriteAllText(existing, "precious");
        (exit, _, error) = CliHarness.Run("simulate", "--events", "10", "--out", existing);
        Assert.Equal(1, exit);
        Assert.Contains("file exists (use --force to replace an output Peakformer wrote)", error);
        Assert.Equal("precious", File.ReadAllText(existing));
        (exit, _, error) = CliHarness.Run("simulate", "--events", "10", "--out", existing, "--force");
        Assert.Equal(1, exit);
        Assert.Contains("was not written by Peakformer", error);
        Assert.Equal("precious", File.ReadAllText(existing));
        Assert.Single(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Truncated_or_foreign_datasets_are_rejected_by_show_and_windows()
    {
        using var folder = new TempFolder();
        string good = folder.File("good.npz");
        Assert.Equal(0, CliHarness.Run("simulate", "--events", "20", "--out", good).Exit);
        var bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(folder.File("cut.npz"), bytes[..(bytes.Length * 2 / 3)]);
        File.WriteAllText(folder.File("text.npz"), "hello");
        foreach (var bad in new[] { "cut.npz", "text.npz" })
        {
            var (exit, _, error) = CliHarness.Run("show", "--in", folder.File(bad), "--out", folder.File("x.svg"));
            Assert.Equal(1, exit);
            Assert.Contains("not a .npz archive, or truncated", error);
            (exit, _, error) = CliHarness.Run("windows", "--in", folder.File(bad), "--out", folder.File("x.csv"));
            Assert.Equal(1, exit);
            Assert.Contains(bad, error);
        }
        var (code, _, message) = CliHarness.Run("show", "--in", good, "--event", "99", "--out", folder.File("x.svg"));
        Assert.Equal(1, code);
        Assert.Contains("--event: expected an index in [0, 20), found 99", message);
        Assert.False(File.Exists(folder.File("x.svg")));
        Assert.False(File.Exists(folder.File("x.csv")));
    }

    [Fact]
    public void Show_draws_the_waveform_and_its_truth()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, CliHarness.Run("simulate", "--events", "5", "--out", folder.File("d.npz")).Exit);
        Assert.Equal(0, CliHarness.Run("show", "--in", folder.File("d.npz"), "--event", "3", "--out", folder.File("w.svg")).Exit);
        string svg = File.ReadAllText(folder.File("w.svg"));
        Assert.StartsWith("<svg", svg);
        Assert.Contains("truth primary electrons", svg);
        Assert.Contains("stroke=\"#E69F00\"", svg); // orange primaries
        Assert.Contains("stroke=\"#000000\"", svg); // black waveform
    }
}
