namespace Peakformer.DriftChamber.Tracks;

/// <summary>
/// A track map: CSV with columns file,event,track (one row per cell: the waveform of file and event belongs to the
/// track), optionally length_cm (the track's path length in gas in that cell) and a momentum column in GeV/c named by
/// the caller (the same on every cell of a track). Other columns are ignored.
/// </summary>
public static class TrackMap
{
    public const string LengthColumn = "length_cm";

    /// <summary>Largest cell path length accepted, 1 m: far beyond any drift cell.</summary>
    public const double MaxCellLengthCm = 100;

    /// <summary>Largest momentum accepted, 100 TeV/c.</summary>
    public const double MaxMomentumGeV = 1e5;

    public static List<TrackMapRow> Read(string path, bool lengths, string? momentumColumn)
    {
        var table = CsvTable.Read(path, "file,event,track[,length_cm][,momentum]");
        int file = table.Column("file", "the waveform file"), evt = table.Column("event", "the event in the file"), track = table.Column("track", "the track id");
        int length = lengths ? table.Column(LengthColumn, "the path length in gas in cm, or give --cell-length-cm") : -1;
        int momentum = momentumColumn is null ? -1 : table.Column(momentumColumn, "the momentum in GeV/c named by --momentum-column");
        var rows = new List<TrackMapRow>(table.Rows.Count);
        var seen = new Dictionary<(string, int), long>();
        for (int r = 0; r < table.Rows.Count; r++)
        {
            long line = table.Rows[r].Line;
            var row = new TrackMapRow(table.Text(r, file, "file"), table.Index(r, evt, "event"), table.Text(r, track, "track"),
                length < 0 ? null : table.Number(r, length, LengthColumn, 0, MaxCellLengthCm, zero: false),
                momentum < 0 ? null : table.Number(r, momentum, momentumColumn!, 0, MaxMomentumGeV, zero: false), line);
            if (!seen.TryAdd((row.File, row.Event), line))
                throw InputException.At(path, line, "event", "each cell in one track only", $"{row.File} event {row.Event} again (first on line {seen[(row.File, row.Event)]})");
            rows.Add(row);
        }
        if (rows.Count == 0) throw InputException.At(path, 2, null, "at least one cell", "no rows");
        return rows;
    }
}
