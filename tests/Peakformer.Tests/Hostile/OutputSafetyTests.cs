using Peakformer.Engine.Files;
using Peakformer.Tests.Cli;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Hostile;

/// <summary>--force replaces only what Peakformer wrote; outputs are never devices, links or inputs.</summary>
public sealed class OutputSafetyTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static void Ok((int Exit, string Output, string Error) r) => Assert.True(r.Exit == 0, r.Error + r.Output);

    private static bool IsTemporary(string path) => Scratch.IsTemporary(Path.GetFileName(path));

    [Fact]
    public void Force_does_not_replace_a_folder_of_data_models_and_other_files()
    {
        string victim = _dir.File("victim");
        Directory.CreateDirectory(victim);
        string data = Path.Combine(victim, "data.npz");
        Ok(CliHarness.Run("simulate", "--events", "8", "--out", data));
        File.WriteAllText(Path.Combine(victim, "thesis.tex"), "years of work");
        var before = Directory.GetFiles(victim).ToDictionary(f => f, File.ReadAllBytes);

        string error = Bounded.CleanError("evaluate", "--data", data, "--classical", "deriv", "--out", victim, "--force");

        Assert.Contains("--force replaces only Peakformer's own outputs", error);
        Assert.Equal(before.Keys.Order(), Directory.GetFiles(victim).Order());
        foreach (var (file, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(file));
    }

    [Fact]
    public void Force_replaces_a_report_Peakformer_wrote_and_refuses_it_once_a_user_file_is_added()
    {
        string data = _dir.File("data.npz"), report = _dir.File("report");
        Ok(CliHarness.Run("simulate", "--events", "8", "--out", data));
        Ok(CliHarness.Run("evaluate", "--data", data, "--classical", "deriv", "--out", report));
        Assert.Contains("folder is not empty (use --force", Bounded.CleanError("evaluate", "--data", data, "--classical", "deriv", "--out", report));
        Ok(CliHarness.Run("evaluate", "--data", data, "--classical", "deriv", "--out", report, "--force"));
        Assert.True(File.Exists(Path.Combine(report, "index.html")));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_dir.Path), IsTemporary);

        File.WriteAllText(Path.Combine(report, "notes.txt"), "mine");
        string error = Bounded.CleanError("evaluate", "--data", data, "--classical", "deriv", "--out", report, "--force");
        Assert.Contains("holds notes.txt, which Peakformer did not write there", error);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(report, "notes.txt")));
    }

    [Fact]
    public void Force_replaces_a_file_Peakformer_wrote_but_not_a_users_file_or_a_changed_one()
    {
        string ours = _dir.File("ours.npz"), theirs = _dir.File("theirs.npz");
        File.WriteAllText(theirs, "a user's file");
        Ok(CliHarness.Run("simulate", "--events", "4", "--out", ours));
        Ok(CliHarness.Run("simulate", "--events", "4", "--seed", "2", "--out", ours, "--force"));

        Assert.Contains("was not written by Peakformer", Bounded.CleanError("simulate", "--events", "4", "--out", theirs, "--force"));
        Assert.Equal("a user's file", File.ReadAllText(theirs));

        File.AppendAllText(ours, "edited");
        Assert.Contains("was changed since Peakformer wrote it", Bounded.CleanError("simulate", "--events", "4", "--out", ours, "--force"));
    }

    [Fact]
    public void Devices_pipes_and_links_are_never_outputs()
    {
        Assert.Contains("is a device, pipe or socket", Bounded.CleanError("simulate", "--events", "4", "--out", "/dev/null", "--force"));
        Assert.Equal(PathKind.Other, NativeFiles.KindOf("/dev/null"));

        string target = _dir.File("target.npz"), link = _dir.File("link.npz");
        Ok(CliHarness.Run("simulate", "--events", "4", "--out", target));
        File.CreateSymbolicLink(link, target);
        Assert.Contains("is a symbolic link", Bounded.CleanError("simulate", "--events", "4", "--out", link, "--force"));
        Assert.Equal(PathKind.SymbolicLink, NativeFiles.KindOf(link));
    }

    [Fact]
    public void An_input_is_never_the_output()
    {
        string data = _dir.File("data.npz");
        Ok(CliHarness.Run("simulate", "--events", "4", "--out", data));
        byte[] before = File.ReadAllBytes(data);
        Assert.Contains("is also an input", Bounded.CleanError("windows", "--in", data, "--out", data, "--force"));
        Assert.Contains("is also an input", Bounded.CleanError("show", "--in", data, "--event", "0", "--out", data, "--force"));
        string hardLink = _dir.File("same-data.npz");
        using (var ln = System.Diagnostics.Process.Start("ln", [data, hardLink])!) ln.WaitForExit();
        Assert.Contains("is also an input", Bounded.CleanError("windows", "--in", hardLink, "--out", data, "--force"));
        string other = _dir.File("other.npz");
        Ok(CliHarness.Run("simulate", "--events", "4", "--out", other));
        Assert.Contains("is also an input", Bounded.CleanError("train", "--task", "count", "--data", other, "--peaks-from", data + "@0.5", "--out", data, "--force"));
        Assert.Equal(before, File.ReadAllBytes(data));
    }

    [Fact]
    public void Each_file_of_a_list_or_pattern_and_each_model_is_an_input()
    {
        string d = _dir.File("d.npz"), e = _dir.File("e.npz");
        Ok(CliHarness.Run("simulate", "--events", "4", "--out", d));
        Ok(CliHarness.Run("simulate", "--events", "4", "--out", e));
        byte[] before = File.ReadAllBytes(e);
        string pattern = Path.Combine(_dir.Path, "*.npz");
        Assert.Contains("is also an input", Bounded.CleanError("show", "--in", $"{d},{e}", "--event", "0", "--out", e, "--force"));
        Assert.Contains("is also an input", Bounded.CleanError("show", "--in", d, "--model", e + "@0.9", "--event", "0", "--out", e, "--force"));
        Assert.Contains("is also an input", Bounded.CleanError("windows", "--in", pattern, "--out", e, "--force"));
        Assert.Contains("is also an input", Bounded.CleanError("train", "--data", pattern, "--out", e, "--force", "--epochs", "1"));
        Assert.Contains("is also an input", Bounded.CleanError("predict", "--model", "deriv", "--in", $"{d},{e}", "--out", e, "--force"));
        Assert.Equal(before, File.ReadAllBytes(e));
    }

    [Fact]
    public void A_report_folder_that_holds_an_input_is_not_replaced()
    {
        // A folder Peakformer wrote (say a shift report's data/ sets) whose file is read by the next command.
        string folder = _dir.File("report");
        Directory.CreateDirectory(folder);
        string data = Path.Combine(folder, "set.npz");
        File.WriteAllText(data, "waveforms");
        OutputLedger.Record(folder);
        Assert.Null(OutputLedger.WhyNotReplaceable(folder));

        var error = Assert.Throws<InputException>(() => Peakformer.Cli.OutputPath.CheckFolder(folder, true, "--out", data));
        Assert.Contains("an input of this command", error.Message);
        Assert.Equal(folder, Peakformer.Cli.OutputPath.CheckFolder(folder, true, "--out", _dir.File("elsewhere.npz")));
    }

    [Fact]
    public void Force_does_not_replace_a_training_state_someone_else_put_beside_the_checkpoint()
    {
        string data = _dir.File("data.npz"), model = _dir.File("m.safetensors");
        Ok(CliHarness.Run("simulate", "--events", "8", "--out", data));
        File.WriteAllText(model + ".state", "mine");
        string error = Bounded.CleanError("train", "--data", data, "--out", model, "--force", "--epochs", "1", "--min-auc", "0",
            "--model-config", "{\"model\": 8, \"heads\": 2, \"layers\": 1, \"feed_forward\": 8, \"head_hidden\": 8}");
        Assert.Contains("m.safetensors.state: was not written by Peakformer", error);
        Assert.Equal("mine", File.ReadAllText(model + ".state"));
    }

    [Fact]
    public void A_quickstart_folder_with_other_files_is_reused_only_for_outputs_Peakformer_wrote()
    {
        string folder = _dir.File("qs");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "train.npz"), "a user's training set");
        string error = Bounded.CleanError("quickstart", "--out", folder, "--force");
        Assert.Contains("train.npz: was not written by Peakformer", error);
        Assert.Equal("a user's training set", File.ReadAllText(Path.Combine(folder, "train.npz")));
    }
}
