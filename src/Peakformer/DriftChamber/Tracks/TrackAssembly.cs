using System.Globalization;

namespace Peakformer.DriftChamber.Tracks;

/// <summary>
/// Groups cell counts into tracks as the counts stream in (memory holds the map, or one group, never the counts):
/// by a track map or by consecutive groups of M cells within each file. A cell of the map that has no count is an
/// error (the track would be short of cells); a count that is in no track of the map is left out and counted (data
/// often hold cells that belong to no reconstructed track).
/// </summary>
public static class TrackAssembly
{
    /// <summary>Cells read and cells in no track, filled in as the tracks are enumerated.</summary>
    public sealed class Tally
    {
        public int Cells { get; internal set; }
        public int Unmapped { get; internal set; }
    }

    /// <summary>
    /// The map's tracks, in the order they first appear in the map, once every count has been read. A map's file
    /// name names a counted file when it is the same text, the same file (a relative name taken from the map's
    /// folder), or a bare file name equal to the counted file's name; a name that fits two counted files is an error.
    /// </summary>
    /// <param name="cellLengthCm">Path length of every cell; null to take each cell's from the map's length_cm.</param>
    /// <param name="momentumGeV">Every track's momentum when the map has no momentum column.</param>
    public static IEnumerable<Track> FromMap(IEnumerable<CellCount> counts, string countsSource, IReadOnlyList<TrackMapRow> map, string mapPath,
        double? cellLengthCm, double? momentumGeV, Tally tally)
    {
        string mapFolder = Path.GetDirectoryName(Path.GetFullPath(mapPath))!;
        var slots = new Dictionary<string, Dictionary<int, int>>(StringComparer.Ordinal); // map file name -> event -> map row
        for (int r = 0; r < map.Count; r++)
        {
            if (!slots.TryGetValue(map[r].File, out var events)) slots[map[r].File] = events = [];
            events[map[r].Event] = r;
        }
        var namesOf = new Dictionary<string, string[]>(StringComparer.Ordinal); // counted file -> the map names that name it
        var fileOf = new Dictionary<string, string>(StringComparer.Ordinal); // map name -> the counted file it names
        var counted = new double[map.Count];
        var filled = new bool[map.Count];
        foreach (var cell in counts)
        {
            tally.Cells++;
            if (!namesOf.TryGetValue(cell.File, out var names)) namesOf[cell.File] = names = Names(cell.File, slots.Keys, mapFolder, fileOf, map, mapPath);
            int claimed = -1;
            foreach (string name in names)
            {
                if (!slots[name].TryGetValue(cell.Event, out int r)) continue;
                if (claimed >= 0)
                {
                    var (first, second) = map[claimed].Line < map[r].Line ? (map[claimed], map[r]) : (map[r], map[claimed]);
                    throw InputException.At(mapPath, second.Line, "event", "each cell in one track only", $"{second.File} event {second.Event} again (first on line {first.Line})");
                }
                if (filled[r])
                    throw InputException.At(countsSource, null, "event", "each file and event once", $"{cell.File} event {cell.Event} again (map line {map[r].Line})");
                (counted[r], filled[r], claimed) = (cell.Clusters, true, r);
            }
            if (claimed < 0) tally.Unmapped++;
        }
        for (int r = 0; r < map.Count; r++)
        {
            if (filled[r]) continue;
            var row = map[r];
            if (!fileOf.ContainsKey(row.File))
            {
                var files = namesOf.Keys.ToList();
                throw InputException.At(mapPath, row.Line, "file", $"one of the files of {countsSource} ({string.Join(", ", files.Take(3))}{(files.Count > 3 ? ", ..." : "")})", $"'{row.File}'");
            }
            throw InputException.At(mapPath, row.Line, "event", $"a cell that {countsSource} holds", $"{row.File} event {row.Event}, not there");
        }
        var order = new List<string>();
        var cells = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int r = 0; r < map.Count; r++)
        {
            if (!cells.TryGetValue(map[r].Track, out var list)) { cells[map[r].Track] = list = []; order.Add(map[r].Track); }
            list.Add(r);
        }
        foreach (string id in order)
        {
            var rows = cells[id];
            yield return new Track(id, rows.Select(r => counted[r]).ToArray(), rows.Select(r => cellLengthCm ?? map[r].LengthCm!.Value).ToArray(),
                map[rows[0]].MomentumGeV ?? momentumGeV);
        }
    }

    /// <summary>The map names that name a counted file; each map name may name one counted file only.</summary>
    private static string[] Names(string file, IEnumerable<string> mapNames, string mapFolder, Dictionary<string, string> fileOf, IReadOnlyList<TrackMapRow> map, string mapPath)
    {
        string full = Full(Environment.CurrentDirectory, file), bare = Path.GetFileName(file);
        var names = mapNames.Where(m => m == file || Full(mapFolder, m) == full || (Path.GetFileName(m) == m && m == bare)).ToArray();
        foreach (string m in names)
            if (!fileOf.TryAdd(m, file))
                throw InputException.At(mapPath, map.First(r => r.File == m).Line, "file", "a name that picks one counted file (give its folder)", $"'{m}', which names {fileOf[m]} and {file}");
        return names;
    }

    private static string Full(string folder, string path)
    {
        try { return Path.GetFullPath(path, folder); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { return path; }
    }

    /// <summary>
    /// Tracks 0, 1, ... of <paramref name="cellsPerTrack"/> consecutive counts each, every cell
    /// <paramref name="cellLengthCm"/> long; grouping restarts at each file (a track never spans two files), and a
    /// file whose cells do not fill its last group is an error naming the file and the cells left.
    /// </summary>
    public static IEnumerable<Track> Consecutive(IEnumerable<CellCount> counts, string countsSource, int cellsPerTrack, double cellLengthCm, double? momentumGeV, Tally tally)
    {
        var group = new List<double>(cellsPerTrack);
        string? file = null;
        int id = 0;
        foreach (var cell in counts)
        {
            if (file is not null && cell.File != file) Leftover(group, file, countsSource, cellsPerTrack);
            file = cell.File;
            tally.Cells++;
            group.Add(cell.Clusters);
            if (group.Count < cellsPerTrack) continue;
            yield return new Track((id++).ToString(CultureInfo.InvariantCulture), [.. group], Enumerable.Repeat(cellLengthCm, cellsPerTrack).ToArray(), momentumGeV);
            group.Clear();
        }
        if (file is null) throw InputException.At(countsSource, null, "--cells-per-track", "at least one counted cell", "none");
        Leftover(group, file, countsSource, cellsPerTrack);
    }

    private static void Leftover(List<double> group, string file, string countsSource, int cellsPerTrack)
    {
        if (group.Count > 0)
            throw InputException.At(countsSource, null, "--cells-per-track",
                $"the cells of each file in whole groups of {cellsPerTrack} (tracks do not span files)", $"{group.Count} cells left over in {file}");
    }
}
