using System.Runtime.InteropServices;

namespace Peakformer.Engine.Files;

/// <summary>What sits at a path, without following a final symbolic link.</summary>
public enum PathKind { Missing, RegularFile, Directory, SymbolicLink, Other }

/// <summary>
/// The two file-system facts .NET does not expose: whether a path is a device, pipe or socket rather than a regular
/// file (FileInfo calls /dev/null "Normal"), and an atomic exchange of two directories (Linux renameat2), so a
/// replaced report is never absent from its path.
/// </summary>
public static partial class NativeFiles
{
    private const int AtFdCwd = -100, AtSymlinkNoFollow = 0x100, StatxType = 0x1, RenameExchange = 0x2;

    /// <summary>What is at the path itself, or with <paramref name="followLinks"/> what a link leads to.</summary>
    public static PathKind KindOf(string path, bool followLinks = false)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null && !followLinks) return PathKind.SymbolicLink;
        if (Directory.Exists(path)) return PathKind.Directory;
        if (!File.Exists(path)) return PathKind.Missing;
        return IsRegular(path, followLinks) ? PathKind.RegularFile : PathKind.Other;
    }

    /// <summary>
    /// Null when the path is a regular file (through links) of at most <paramref name="maxBytes"/>; otherwise why it
    /// cannot be read as an input (a FIFO would block the reader, /dev/zero never ends).
    /// </summary>
    public static string? WhyNotInput(string path, long maxBytes = long.MaxValue)
    {
        switch (KindOf(path, followLinks: true))
        {
            case PathKind.Missing: return "file not found";
            case PathKind.Directory: return "expected a file, found a folder";
            case PathKind.Other: return "expected a regular file, found a device, pipe or socket";
        }
        long length = new FileInfo(File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path).Length;
        return length > maxBytes ? $"expected at most {maxBytes} bytes, found {length}" : null;
    }

    /// <summary>Swaps two existing directories in one step where the system can; false where it cannot.</summary>
    public static bool TryExchange(string a, string b)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return renameat2(AtFdCwd, a, AtFdCwd, b, RenameExchange) == 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// True when both paths reach the same file (same device and inode: through links, hard links or another
    /// spelling of the path); false when either is missing. Outside Linux, the full paths are compared.
    /// </summary>
    public static unsafe bool SameFile(string a, string b)
    {
        if (!OperatingSystem.IsLinux()) return Path.GetFullPath(a) == Path.GetFullPath(b);
        byte* first = stackalloc byte[256], second = stackalloc byte[256];
        const uint statxIno = 0x100;
        try
        {
            if (statx(AtFdCwd, a, 0, statxIno, first) != 0 || statx(AtFdCwd, b, 0, statxIno, second) != 0) return false;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return Path.GetFullPath(a) == Path.GetFullPath(b);
        }
        // stx_ino is the u64 at byte 32, stx_dev_major and stx_dev_minor the u32s at bytes 136 and 140.
        return *(ulong*)(first + 32) == *(ulong*)(second + 32) && *(ulong*)(first + 136) == *(ulong*)(second + 136);
    }

    // statx's struct has one layout on every Linux architecture: stx_mode is the u16 at byte 28.
    private static unsafe bool IsRegular(string path, bool followLinks)
    {
        if (!OperatingSystem.IsLinux()) return true;
        byte* buffer = stackalloc byte[256];
        try
        {
            if (statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxType, buffer) != 0) return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return true;
        }
        const int typeMask = 0xF000, regular = 0x8000;
        return (*(ushort*)(buffer + 28) & typeMask) == regular;
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int statx(int directory, string path, int flags, uint mask, byte* result);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int renameat2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);
}
