using Peakformer.Engine.Files;

namespace Peakformer.Engine.Tests.Files;

public sealed class OutputLedgerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pf-ledger-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    [Fact]
    public void A_file_Peakformer_wrote_is_replaceable_until_someone_changes_it()
    {
        string file = PathOf("out.csv");
        AtomicFile.Write(file, s => s.Write("a,b\n1,2\n"u8));
        Assert.Null(OutputLedger.WhyNotReplaceable(file));
        File.AppendAllText(file, "3,4\n");
        Assert.Equal("was changed since Peakformer wrote it", OutputLedger.WhyNotReplaceable(file));
    }

    [Fact]
    public void A_file_renamed_before_a_later_rename_fails_is_in_the_ledger()
    {
        // The second target is a folder: it is unchanged (so the checks pass) but no file can be renamed over it.
        string first = PathOf("counts.csv"), second = PathOf("peaks.csv");
        Directory.CreateDirectory(second);
        Assert.ThrowsAny<IOException>(() => AtomicFile.WriteTogether([first, second], streams =>
        {
            streams[0].Write("n\n1\n"u8);
            streams[1].Write("p\n"u8);
        }));
        Assert.Equal("n\n1\n", File.ReadAllText(first));
        Assert.Null(OutputLedger.WhyNotReplaceable(first));
        Assert.Single(Directory.GetFiles(_dir), f => Path.GetFileName(f) is not (OutputLedger.FileName or OutputLedger.LockName));
    }

    [Fact]
    public void A_file_someone_else_wrote_is_not_replaceable_even_beside_Peakformer_outputs()
    {
        AtomicFile.Write(PathOf("ours.csv"), s => s.Write("x\n"u8));
        File.WriteAllText(PathOf("theirs.csv"), "x\n");
        Assert.Equal("was not written by Peakformer", OutputLedger.WhyNotReplaceable(PathOf("theirs.csv")));
        Assert.Null(OutputLedger.WhyNotReplaceable(PathOf("missing.csv")));
    }

    [Fact]
    public void A_folder_is_replaceable_only_while_it_holds_exactly_what_Peakformer_put_there()
    {
        string report = PathOf("report");
        Directory.CreateDirectory(report);
        File.WriteAllText(Path.Combine(report, "index.html"), "<html/>");
        OutputLedger.Record(report);
        Assert.Null(OutputLedger.WhyNotReplaceable(report));
        File.WriteAllText(Path.Combine(report, "notes.txt"), "my notes");
        Assert.Equal("holds notes.txt, which Peakformer did not write there", OutputLedger.WhyNotReplaceable(report));
    }

    [Fact]
    public void A_damaged_ledger_makes_Peakformer_refuse_not_fail()
    {
        string file = PathOf("out.csv");
        AtomicFile.Write(file, s => s.Write("x\n"u8));
        File.WriteAllText(PathOf(OutputLedger.FileName), "{\"out.csv\": {\"File\": 17");
        Assert.Equal("was not written by Peakformer", OutputLedger.WhyNotReplaceable(file));
        AtomicFile.Write(file, s => s.Write("y\n"u8)); // rewriting mends the ledger
        Assert.Null(OutputLedger.WhyNotReplaceable(file));
    }

    [Fact]
    public void Devices_pipes_and_links_are_told_apart_from_regular_files()
    {
        Assert.Equal(PathKind.Other, NativeFiles.KindOf("/dev/null"));
        Assert.Equal("is a device, pipe or socket, not a regular file", OutputLedger.WhyNotReplaceable("/dev/null"));
        string target = PathOf("target.txt"), link = PathOf("link.txt");
        File.WriteAllText(target, "x");
        File.CreateSymbolicLink(link, target);
        Assert.Equal(PathKind.SymbolicLink, NativeFiles.KindOf(link));
        Assert.Equal(PathKind.RegularFile, NativeFiles.KindOf(target));
        Assert.Equal(PathKind.Directory, NativeFiles.KindOf(_dir));
        Assert.Equal(PathKind.Missing, NativeFiles.KindOf(PathOf("none")));
    }

    [Fact]
    public void Exchanging_two_folders_swaps_their_contents()
    {
        string a = PathOf("a"), b = PathOf("b");
        Directory.CreateDirectory(a);
        Directory.CreateDirectory(b);
        File.WriteAllText(Path.Combine(a, "from-a"), "");
        File.WriteAllText(Path.Combine(b, "from-b"), "");
        Assert.True(NativeFiles.TryExchange(a, b), "renameat2(RENAME_EXCHANGE) should work on Linux file systems");
        Assert.True(File.Exists(Path.Combine(a, "from-b")));
        Assert.True(File.Exists(Path.Combine(b, "from-a")));
    }

    // Shards of one job write into one folder at once. Each thread here opens the lock file itself, as another
    // process would: without the lock two read-modify-writes interleave and one entry is lost (many rounds, so the
    // race shows every time it is possible).
    [Fact]
    public void Writers_recording_into_one_folder_at_once_lose_no_entry()
    {
        const int writers = 8, files = 40;
        using var start = new Barrier(writers);
        var threads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < files; i++) AtomicFile.Write(PathOf($"w{w}-{i}.csv"), s => s.Write("x\n"u8));
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var lost = Enumerable.Range(0, writers).SelectMany(w => Enumerable.Range(0, files).Select(i => PathOf($"w{w}-{i}.csv")))
            .Where(f => OutputLedger.WhyNotReplaceable(f) is not null).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {writers * files} outputs lost their ledger entry, e.g. {lost.FirstOrDefault()}");
    }

    [Fact]
    public void A_ledger_update_waits_while_another_holds_the_folders_lock()
    {
        string file = PathOf("out.csv");
        File.WriteAllText(file, "x\n");
        var recording = new Thread(() => OutputLedger.Record(file));
        using (var held = OutputLedger.Lock(_dir))
        {
            Assert.NotNull(held);
            recording.Start();
            Assert.False(recording.Join(300), "the ledger was rewritten while another writer held its lock");
            Assert.Equal("was not written by Peakformer", OutputLedger.WhyNotReplaceable(file));
        }
        Assert.True(recording.Join(10_000));
        Assert.Null(OutputLedger.WhyNotReplaceable(file));
    }
}
