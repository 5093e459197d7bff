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

    public static PathKind KindOf(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) return PathKind.SymbolicLink;
        if (Directory.Exists(path)) return PathKind.Directory;
        if (!info.Exists) return PathKind.Missing;
        return IsRegular(path) ? PathKind.RegularFile : PathKind.Other;
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

    // statx's struct has one layout on every Linux architecture: stx_mode is the u16 at byte 28.
    private static unsafe bool IsRegular(string path)
    {
        if (!OperatingSystem.IsLinux()) return true;
        byte* buffer = stackalloc byte[256];
        try
        {
            if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) != 0) return true;
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
