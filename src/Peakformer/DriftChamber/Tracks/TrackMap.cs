using Peakformer.Data;

namespace Peakformer.DriftChamber.Tracks;

/// <summary>
/// A track map: CSV with columns file,event,track (one row per cell: the waveform of file and event belongs to the
/// track), optionally length_cm (the track's path length in gas in that cell) and a momentum column in GeV/c named by
/// the caller (the same on every cell of a track). Column names match whatever their case; other columns are ignored.
/// </summary>
public static class TrackMap
{
    public const string LengthColumn = "length_cm";

    /// <summary>Largest cell path length accepted, 1 m: far beyond any drift cell.</summary>
    public const double MaxCellLengthCm = 100;

    /// <summary>Largest momentum accepted, 100 TeV/c.</summary>
    public const double MaxMomentumGeV = 1e5;

    /// <summary>Smallest momentum accepted, 1 MeV/c: below any track that crosses a drift chamber, and far above where the expected count overflows.</summary>
    public const double MinMomentumGeV = 1e-3;

    public static List<TrackMapRow> Read(string path, bool lengths, string? momentumColumn)
    {
        using var table = CsvTable.Open(path, "file,event,track[,length_cm][,momentum]");
        int file = table.Column("file", "the waveform file"), evt = table.Column("event", "the event in the file"), track = table.Column("track", "the track id");
        int length = lengths ? table.Column(LengthColumn, "the path length in gas in cm, or give --cell-length-cm") : -1;
        int momentum = momentumColumn is null ? -1 : table.Column(momentumColumn, "the momentum in GeV/c named by --momentum-column");
        var rows = new List<TrackMapRow>();
        var seen = new Dictionary<(string, int), long>();
        var firstOfTrack = new Dictionary<string, TrackMapRow>(StringComparer.Ordinal);
        foreach (var r in table.Rows())
        {
            var row = new TrackMapRow(r.Text(file, "file"), r.Index(evt, "event"), r.Text(track, "track"),
                length < 0 ? null : r.Number(length, LengthColumn, 0, MaxCellLengthCm, zero: false),
                momentum < 0 ? null : r.Number(momentum, momentumColumn!, MinMomentumGeV, MaxMomentumGeV, zero: true), r.Line);
            if (!seen.TryAdd((row.File, row.Event), r.Line))
                throw InputException.At(path, r.Line, "event", "each cell in one track only", $"{row.File} event {row.Event} again (first on line {seen[(row.File, row.Event)]})");
            if (!firstOfTrack.TryAdd(row.Track, row) && row.MomentumGeV is { } p && firstOfTrack[row.Track].MomentumGeV is { } p0 && Math.Abs(p - p0) > 1e-9 * Math.Max(p, p0))
                throw InputException.At(path, r.Line, "momentum", $"the momentum of track {row.Track} on line {firstOfTrack[row.Track].Line} ({Finite.Describe(p0)})", Finite.Describe(p));
            rows.Add(row);
        }
        if (rows.Count == 0) throw InputException.At(path, 2, null, "at least one cell", "no rows");
        return rows;
    }
}
