using Peakformer.Engine.Files;

namespace Peakformer.Data.Npy;

/// <summary>
/// A whole bare .npy file in memory, bounded: the header's shape must account for the file's size exactly and hold
/// at most a stated number of values, both checked before anything is allocated.
/// </summary>
public static class NpyFile
{
    public static NpyArray Read(string path, long maxValues)
    {
        if (NativeFiles.WhyNotInput(path) is { } why) throw new InputException($"{path}: {why}");
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var header = NpyHeader.Read(file, path);
        long expected = header.HeaderBytes + header.DataBytes;
        if (file.Length != expected)
            throw InputException.At(path, null, "file size", $"{expected} bytes (header {header.HeaderBytes} + shape ({string.Join(", ", header.Shape)}) x {header.ItemSize} bytes)", $"{file.Length} bytes");
        if (header.Count > maxValues)
            throw InputException.At(path, null, "shape", $"at most {maxValues} values", $"({string.Join(", ", header.Shape)})");
        return new NpyArray(header.Type, header.Shape, NpyFormat.ReadValues(file, header, header.Count, path), header.UnicodeLength);
    }
}
