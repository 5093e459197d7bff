using System.Diagnostics;
using Peakformer.Engine.Files;

namespace Peakformer.Engine.Tests.Files;

public sealed class ScratchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pf-scratch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static int DeadProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }

    private static string Id() => Guid.NewGuid().ToString("N");

    [Fact]
    public void Temporaries_of_dead_processes_are_swept_and_everything_else_is_kept()
    {
        int dead = DeadProcessId();
        string host = Scratch.Host;
        string staleFile = PathOf($".train.npz.{dead}.{Id()}.tmp");              // as earlier versions named them
        string staleParts = PathOf($".train.npz.{dead}@{host}.{Id()}.parts");
        string live = PathOf($".test.npz.1.{Id()}.tmp");                         // pid 1 started before the file
        string otherHost = PathOf($".test.npz.{dead}@elsewhere.{Id()}.tmp");    // a shared file system
        string[] users = [PathOf(".bashrc"), PathOf($".train.npz.{dead}.tmp"), PathOf("train.npz")];
        File.WriteAllText(staleFile, "x");
        Directory.CreateDirectory(staleParts);
        File.WriteAllText(Path.Combine(staleParts, "electron_time_ns"), "x");
        foreach (string p in users.Append(live).Append(otherHost)) File.WriteAllText(p, "keep");

        Scratch.SweepStale(_dir);

        Assert.False(File.Exists(staleFile));
        Assert.False(Directory.Exists(staleParts));
        foreach (string p in users.Append(live).Append(otherHost)) Assert.Equal("keep", File.ReadAllText(p));
    }

    [Fact]
    public void A_temporary_held_open_by_a_live_writer_is_kept_whatever_its_name_says()
    {
        int dead = DeadProcessId(); // as a process of another PID namespace looks from here
        string held = PathOf($".data.npz.{dead}@{Scratch.Host}.{Id()}.tmp");
        using (var writer = new FileStream(held, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            Scratch.SweepStale(_dir);
            Assert.True(File.Exists(held));
        }
        Scratch.SweepStale(_dir);
        Assert.False(File.Exists(held));
    }

    [Fact]
    public void A_report_left_aside_by_a_killed_swap_goes_back_when_nothing_took_its_place()
    {
        int dead = DeadProcessId();
        string aside = PathOf($".report.{dead}@{Scratch.Host}.{Id()}.old");
        Directory.CreateDirectory(aside);
        File.WriteAllText(Path.Combine(aside, "index.html"), "old report");
        string replacedAside = PathOf($".count-report.{dead}@{Scratch.Host}.{Id()}.old");
        Directory.CreateDirectory(replacedAside);
        Directory.CreateDirectory(PathOf("count-report"));

        Scratch.SweepStale(_dir);

        Assert.Equal("old report", File.ReadAllText(PathOf("report/index.html")));
        Assert.False(Directory.Exists(aside));
        Assert.False(Directory.Exists(replacedAside));
        Assert.True(Directory.Exists(PathOf("count-report")));
    }

    [Fact]
    public void A_folder_moved_aside_comes_back_unless_something_took_its_place()
    {
        string report = PathOf("report");
        Directory.CreateDirectory(report);
        File.WriteAllText(Path.Combine(report, "index.html"), "old");
        string aside = Scratch.MoveAside(report);
        Assert.False(Directory.Exists(report));
        Scratch.RestoreAside(aside); // the new report failed to move in
        Assert.Equal("old", File.ReadAllText(Path.Combine(report, "index.html")));

        aside = Scratch.MoveAside(report);
        Directory.CreateDirectory(report);
        File.WriteAllText(Path.Combine(report, "index.html"), "new");
        Scratch.RestoreAside(aside); // the new one is in place: the old goes
        Assert.Equal("new", File.ReadAllText(Path.Combine(report, "index.html")));
        Assert.False(Directory.Exists(aside));
    }

    [Fact]
    public void A_file_put_at_the_path_while_Peakformer_writes_is_not_replaced()
    {
        string target = PathOf("peaks.csv");
        var e = Assert.Throws<IOException>(() => AtomicFile.Write(target, s =>
        {
            s.Write("event,sample\n"u8);
            File.WriteAllText(target, "a user's file, saved meanwhile");
        }));
        Assert.Contains("changed while Peakformer was writing", e.Message);
        Assert.Equal("a user's file, saved meanwhile", File.ReadAllText(target));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_dir), p => Scratch.IsTemporary(Path.GetFileName(p)));
    }

    [Fact]
    public void A_failed_write_leaves_neither_a_temporary_nor_a_changed_target()
    {
        string target = PathOf("model.safetensors");
        AtomicFile.Write(target, s => s.Write("old"u8));
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(target, s =>
        {
            s.Write("half"u8);
            throw new InvalidOperationException("fails half way");
        }));
        Assert.Equal("old", File.ReadAllText(target));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_dir), p => Scratch.IsTemporary(Path.GetFileName(p)));
    }
}
