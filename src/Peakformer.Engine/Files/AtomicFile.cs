namespace Peakformer.Engine.Files;

/// <summary>
/// Writes a file through a temporary sibling and a rename, so a failure never leaves a half-written file and the
/// path always holds one complete version; the result is entered in the folder's <see cref="OutputLedger"/>.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Calls <paramref name="write"/> with a stream to the temporary file, then renames it over <paramref name="path"/>.
    /// The callback may dispose the stream (e.g. through a StreamWriter): the file stays open until it returns.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"{path}: folder {directory} does not exist.");
        string before = OutputLedger.Snapshot(full);
        var stream = Scratch.CreateFile(full);
        string temporary = stream.Name;
        try
        {
            using (stream)
            {
                using (var view = new KeepOpen(stream)) write(view);
                stream.Flush(flushToDisk: true);
            }
            OutputLedger.CheckUnchanged(full, before);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            Scratch.Discard(temporary); // gone already after the rename; otherwise the half-written file goes
        }
        OutputLedger.Record(full);
    }

    /// <summary>
    /// Several files that belong together (a table and its peak list): all are written to temporary siblings, every
    /// target is checked unchanged, and only then are they renamed into place one after the other. A failure while
    /// writing or checking leaves none of them. The renames are not one atomic step: should one fail (the folder
    /// changed under the run), the files renamed before it are in place, each already entered in the ledger as it was
    /// renamed (so --force may replace it), and the rest keep their old versions.
    /// </summary>
    public static void WriteTogether(IReadOnlyList<string> paths, Action<IReadOnlyList<Stream>> write)
    {
        var full = paths.Select(Path.GetFullPath).ToArray();
        foreach (string f in full)
            if (!Directory.Exists(Path.GetDirectoryName(f)!)) throw new DirectoryNotFoundException($"{f}: folder {Path.GetDirectoryName(f)} does not exist.");
        var before = full.Select(OutputLedger.Snapshot).ToArray();
        var streams = new List<FileStream>();
        try
        {
            foreach (string f in full) streams.Add(Scratch.CreateFile(f));
            var views = streams.Select(s => (Stream)new KeepOpen(s)).ToArray();
            write(views);
            foreach (var v in views) v.Dispose();
            foreach (var s in streams) { s.Flush(flushToDisk: true); s.Dispose(); }
            for (int i = 0; i < full.Length; i++) OutputLedger.CheckUnchanged(full[i], before[i]);
            for (int i = 0; i < full.Length; i++)
            {
                File.Move(streams[i].Name, full[i], overwrite: true);
                OutputLedger.Record(full[i]);
            }
        }
        finally
        {
            foreach (var s in streams)
            {
                s.Dispose();
                Scratch.Discard(s.Name);
            }
        }
    }

    /// <summary>Passes everything through but leaves the file open when disposed (flushing instead).</summary>
    private sealed class KeepOpen(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
        public override void WriteByte(byte value) => inner.WriteByte(value);
        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Flush();
            base.Dispose(disposing);
        }
    }
}
