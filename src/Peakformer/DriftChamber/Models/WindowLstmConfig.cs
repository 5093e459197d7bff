namespace Peakformer.DriftChamber.Models;

/// <summary>The published LSTM window classifier: an LSTM of hidden size 32 over the window, then dense 64 with ReLU, then one logit.</summary>
public sealed record WindowLstmConfig
{
    public int WindowLength { get; init; } = 15;
    public int Hidden { get; init; } = 32;
    public int Dense { get; init; } = 64;

    public void Validate()
    {
        if (WindowLength < 1 || Hidden < 1 || Dense < 1) throw new ArgumentException("window_length, hidden and dense must be positive.");
    }
}
