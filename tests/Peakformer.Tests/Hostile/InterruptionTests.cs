using System.Diagnostics;
using Peakformer.Engine.Files;
using Peakformer.Tests.Cli;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Hostile;

/// <summary>
/// Runs the command line as a child process and kills it (SIGKILL, SIGTERM, SIGINT) while it writes: the final path
/// holds nothing or one complete earlier version, a signal that runs code leaves no temporaries, and the next run
/// into the folder removes what a SIGKILL left. A full disk (a 1 MiB tmpfs, where it can be mounted) gives a clean
/// error and no temporaries.
/// </summary>
public sealed class InterruptionTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Peakformer.Cli.dll");

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Cli);
        foreach (string a in args) info.ArgumentList.Add(a);
        info.Environment["CI"] = "true";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private string[] Temporaries() =>
        Directory.EnumerateFileSystemEntries(_dir.Path).Where(p => Scratch.IsTemporary(Path.GetFileName(p))).ToArray();

    /// <summary>Waits until the child has a temporary in the folder (it is writing), or fails after a minute.</summary>
    private void WaitForTemporary(Process child)
    {
        var clock = Stopwatch.StartNew();
        while (Temporaries().Length == 0)
        {
            Assert.False(child.HasExited, "the child finished before it could be interrupted");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), "the child wrote no temporary within a minute");
            Thread.Sleep(20);
        }
    }

    private static void Signal(Process child, string signal)
    {
        using var kill = Process.Start("kill", $"-{signal} {child.Id}")!;
        kill.WaitForExit();
        Assert.True(child.WaitForExit(60_000), $"the child did not end after SIG{signal}");
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public void A_signal_that_runs_code_leaves_no_temporaries_and_no_output(string signal)
    {
        string output = _dir.File("big.npz");
        var child = Start("simulate", "--events", "200000", "--out", output);
        WaitForTemporary(child);
        Signal(child, signal);
        Assert.NotEqual(0, child.ExitCode);
        Assert.False(File.Exists(output));
        var left = Temporaries();
        Assert.True(left.Length == 0, $"left after SIG{signal}: {string.Join(", ", left.Select(Path.GetFileName))}");
    }

    [Fact]
    public void What_a_SIGKILL_left_is_removed_by_the_next_run_and_the_old_output_survives()
    {
        string output = _dir.File("data.npz");
        Assert.Equal(0, CliHarness.Run("simulate", "--events", "4", "--out", output).Exit);
        byte[] complete = File.ReadAllBytes(output);

        var child = Start("simulate", "--events", "200000", "--out", output, "--force");
        WaitForTemporary(child);
        Signal(child, "KILL");
        Assert.NotEmpty(Temporaries());
        Assert.Equal(complete, File.ReadAllBytes(output));

        Assert.Equal(0, CliHarness.Run("simulate", "--events", "4", "--out", _dir.File("next.npz")).Exit);
        Assert.Empty(Temporaries());
    }

    [Fact]
    public void A_report_killed_while_it_is_replaced_is_the_old_or_the_new_one_never_none()
    {
        string data = _dir.File("data.npz"), report = _dir.File("report");
        Assert.Equal(0, CliHarness.Run("simulate", "--events", "300", "--out", data).Exit);
        Assert.Equal(0, CliHarness.Run("evaluate", "--data", data, "--classical", "deriv", "--out", report).Exit);
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var child = Start("evaluate", "--data", data, "--classical", "deriv,d2", "--tune-data", data, "--out", report, "--force");
            Thread.Sleep(400 + 300 * attempt);
            if (!child.HasExited) Signal(child, "KILL");
            child.WaitForExit();
            Assert.True(File.Exists(Path.Combine(report, "index.html")), $"attempt {attempt}: no complete report at the path");
            Assert.True(File.Exists(Path.Combine(report, "metrics.json")), $"attempt {attempt}: no complete report at the path");
        }
        Assert.Equal(0, CliHarness.Run("evaluate", "--data", data, "--classical", "deriv", "--out", report, "--force").Exit);
        Assert.Empty(Temporaries());
    }

    [Fact]
    public void A_training_run_killed_after_its_first_checkpoint_leaves_a_loadable_one()
    {
        string data = _dir.File("train.npz"), model = _dir.File("model.safetensors");
        Assert.Equal(0, CliHarness.Run("simulate", "--events", "60", "--out", data).Exit);
        var child = Start("train", "--task", "window", "--model", "transformer", "--data", data, "--out", model, "--epochs", "50",
            "--model-config", "{\"model\": 16, \"heads\": 2, \"layers\": 1, \"feed_forward\": 16, \"head_hidden\": 16}", "--lr", "1e-3", "--min-auc", "0");
        var clock = Stopwatch.StartNew();
        while (!File.Exists(model) && clock.Elapsed < TimeSpan.FromMinutes(1) && !child.HasExited) Thread.Sleep(20);
        Thread.Sleep(100);
        if (!child.HasExited) Signal(child, "KILL");
        Assert.True(File.Exists(model), "no checkpoint was written before the kill");
        Assert.Equal(0, CliHarness.Run("predict", "--model", model, "--in", data, "--out", _dir.File("peaks.csv")).Exit);
    }

    [Fact]
    public void A_full_disk_gives_a_clean_error_and_leaves_nothing_behind()
    {
        string mount = _dir.File("full");
        Directory.CreateDirectory(mount);
        using (var m = Process.Start(new ProcessStartInfo("mount", $"-t tmpfs -o size=1m tmpfs {mount}") { RedirectStandardError = true })!)
        {
            m.WaitForExit();
            if (m.ExitCode != 0) return; // not root, or no mount in this sandbox: nothing to learn here
        }
        try
        {
            string error = Bounded.CleanError("simulate", "--events", "2000", "--out", Path.Combine(mount, "data.npz"));
            Assert.Contains("No space left on device", error);
            var left = Directory.EnumerateFileSystemEntries(mount).Select(Path.GetFileName).ToList();
            Assert.True(left.Count == 0, $"left behind: {string.Join(", ", left)}");
        }
        finally
        {
            using var u = Process.Start("umount", mount)!;
            u.WaitForExit();
        }
    }
}
