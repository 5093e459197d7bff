namespace Peakformer.Workflows;

/// <summary>What <c>dndx</c> wrote: tracks, cells used, cells in no track of the map, and the mean dN/dx over tracks.</summary>
public sealed record DndxResult(int Tracks, int Cells, int UnmappedCells, double MeanDndxPerCm);
