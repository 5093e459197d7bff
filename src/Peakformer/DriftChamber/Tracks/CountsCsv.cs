namespace Peakformer.DriftChamber.Tracks;

/// <summary>
/// Reads a count table as <c>predict</c> writes it (file,event,n_clusters) or <c>count</c> without truth (file,event
/// and one column per method: pick one with its name). Each (file, event) once; counts finite and non-negative.
/// </summary>
public static class CountsCsv
{
    public const string DefaultColumn = "n_clusters";

    /// <summary>Largest count accepted per cell: far above any cell's clusters (a few hundred), far below float trouble.</summary>
    public const double MaxCount = 1e6;

    public static List<CellCount> Read(string path, string column = DefaultColumn)
    {
        var table = CsvTable.Read(path, $"file,event,{column}");
        int file = table.Column("file", "the waveform file"), evt = table.Column("event", "the event in the file"), count = table.Column(column, "the cluster count");
        var cells = new List<CellCount>(table.Rows.Count);
        var seen = new HashSet<(string, int)>();
        for (int r = 0; r < table.Rows.Count; r++)
        {
            var cell = new CellCount(table.Text(r, file, "file"), table.Index(r, evt, "event"), table.Number(r, count, column, 0, MaxCount, zero: true));
            if (!seen.Add((cell.File, cell.Event)))
                throw InputException.At(path, table.Rows[r].Line, "event", "each file and event once", $"{cell.File} event {cell.Event} again");
            cells.Add(cell);
        }
        return cells;
    }
}
