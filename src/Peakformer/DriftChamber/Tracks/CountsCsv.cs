using Peakformer.Data;

namespace Peakformer.DriftChamber.Tracks;

/// <summary>
/// Reads a count table as <c>predict</c> writes it (file,event,n_clusters) or <c>count</c> without truth (file,event
/// and one column per method: pick one with its name), row by row (memory holds one row). Counts finite and
/// non-negative; a cell counted twice is caught where a track map names it (<see cref="TrackAssembly"/>).
/// </summary>
public static class CountsCsv
{
    public const string DefaultColumn = "n_clusters";

    /// <summary>Largest count accepted per cell: far above any cell's clusters (a few hundred), far below float trouble.</summary>
    public const double MaxCount = 1e6;

    public static IEnumerable<CellCount> Read(string path, string column = DefaultColumn)
    {
        using var table = CsvTable.Open(path, $"file,event,{column}");
        int file = table.Column("file", "the waveform file"), evt = table.Column("event", "the event in the file"), count = table.Column(column, "the cluster count");
        foreach (var row in table.Rows())
            yield return new CellCount(row.Text(file, "file"), row.Index(evt, "event"), row.Number(count, column, 0, MaxCount, zero: true));
    }
}
