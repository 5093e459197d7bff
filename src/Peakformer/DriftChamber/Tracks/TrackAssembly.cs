namespace Peakformer.DriftChamber.Tracks;

/// <summary>
/// Groups cell counts into tracks, by a track map or by consecutive groups of M cells. A cell of the map that has no
/// count is an error (the track would be short of cells); a count that is in no track of the map is left out and
/// counted (data often hold cells that belong to no reconstructed track). Tracks come in the order they first appear.
/// </summary>
public static class TrackAssembly
{
    public sealed record Result(List<Track> Tracks, int UnmappedCells);

    /// <param name="cellLengthCm">Path length of every cell; null to take each cell's from the map's length_cm.</param>
    public static Result FromMap(IReadOnlyList<CellCount> counts, string countsSource, IReadOnlyList<TrackMapRow> map, string mapPath, double? cellLengthCm)
    {
        var index = new Dictionary<(string, int), int>();
        for (int i = 0; i < counts.Count; i++) index[(counts[i].File, counts[i].Event)] = i;
        var files = new FileNames(counts.Select(c => c.File).Distinct().ToList(), mapPath, countsSource);
        var order = new List<string>();
        var cells = new Dictionary<string, List<TrackMapRow>>(StringComparer.Ordinal);
        foreach (var row in map)
        {
            if (!cells.TryGetValue(row.Track, out var list)) { cells[row.Track] = list = []; order.Add(row.Track); }
            list.Add(row);
        }
        // The map line that claimed each counted cell: two spellings of one file (a bare name and a path) pass the
        // map's own duplicate check, which compares the text.
        var claimedBy = new long[counts.Count];
        var tracks = new List<Track>(order.Count);
        foreach (string id in order)
        {
            var rows = cells[id];
            var c = new double[rows.Count];
            var l = new double[rows.Count];
            for (int k = 0; k < rows.Count; k++)
            {
                var row = rows[k];
                string file = files.Resolve(row.File, row.Line);
                if (!index.TryGetValue((file, row.Event), out int i))
                    throw InputException.At(mapPath, row.Line, "event", $"a cell that {countsSource} holds", $"{row.File} event {row.Event}, not there");
                if (claimedBy[i] != 0)
                    throw InputException.At(mapPath, row.Line, "event", "each cell in one track only", $"{row.File} event {row.Event} again (first on line {claimedBy[i]})");
                (c[k], l[k], claimedBy[i]) = (counts[i].Clusters, cellLengthCm ?? row.LengthCm!.Value, row.Line);
                if (row.MomentumGeV is { } p && rows[0].MomentumGeV is { } p0 && Math.Abs(p - p0) > 1e-9 * Math.Max(p, p0))
                    throw InputException.At(mapPath, row.Line, "momentum", $"the momentum of track {id} on line {rows[0].Line} ({Finite.Describe(p0)})", Finite.Describe(p));
            }
            tracks.Add(new Track(id, c, l, rows[0].MomentumGeV));
        }
        return new Result(tracks, claimedBy.Count(line => line == 0));
    }

    /// <summary>Tracks 0, 1, ... of <paramref name="cellsPerTrack"/> consecutive counts each, every cell <paramref name="cellLengthCm"/> long.</summary>
    public static Result Consecutive(IReadOnlyList<CellCount> counts, string countsSource, int cellsPerTrack, double cellLengthCm)
    {
        if (counts.Count == 0 || counts.Count % cellsPerTrack != 0)
            throw InputException.At(countsSource, null, "--cells-per-track", $"a number of cells that is a positive multiple of {cellsPerTrack}", $"{counts.Count} cells");
        var tracks = new List<Track>(counts.Count / cellsPerTrack);
        for (int t = 0; t < counts.Count / cellsPerTrack; t++)
            tracks.Add(new Track(t.ToString(System.Globalization.CultureInfo.InvariantCulture),
                counts.Skip(t * cellsPerTrack).Take(cellsPerTrack).Select(c => c.Clusters).ToArray(),
                Enumerable.Repeat(cellLengthCm, cellsPerTrack).ToArray(), null));
        return new Result(tracks, 0);
    }

    /// <summary>
    /// A map's file names matched to the counted files: the same text, the same file by full path, or a bare file
    /// name that names exactly one counted file (maps are often written without folders).
    /// </summary>
    private sealed class FileNames(List<string> files, string mapPath, string countsSource)
    {
        private readonly Dictionary<string, string> _resolved = [];

        public string Resolve(string name, long line)
        {
            if (_resolved.TryGetValue(name, out var file)) return file;
            var matches = files.Contains(name) ? [name] : files.Where(f => Full(f) == Full(name)).ToList();
            if (matches.Count == 0 && Path.GetFileName(name) == name) matches = files.Where(f => Path.GetFileName(f) == name).ToList();
            if (matches.Count > 1)
                throw InputException.At(mapPath, line, "file", "a name that picks one counted file (give its folder)", $"'{name}', which names {string.Join(" and ", matches)}");
            if (matches.Count == 0)
                throw InputException.At(mapPath, line, "file", $"one of the files of {countsSource} ({string.Join(", ", files.Take(3))}{(files.Count > 3 ? ", ..." : "")})", $"'{name}'");
            return _resolved[name] = matches[0];
        }

        private static string Full(string path)
        {
            try { return Path.GetFullPath(path); }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { return path; }
        }
    }
}
