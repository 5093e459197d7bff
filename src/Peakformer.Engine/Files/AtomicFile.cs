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
