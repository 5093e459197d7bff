namespace Peakformer.DriftChamber.Models;

/// <summary>The published LSTM window classifier: an LSTM of hidden size 32 over the window, then dense 64 with ReLU, then one logit.</summary>
public sealed record WindowLstmConfig
{
    public int WindowLength { get; init; } = Physics.DriftChamberConstants.WindowLength;
    public int Hidden { get; init; } = 32;
    public int Dense { get; init; } = 64;

    public void Validate()
    {
        ConfigLimits.Whole("window_length", WindowLength, 1, ConfigLimits.MaxWindowLength);
        ConfigLimits.Whole("hidden", Hidden, 1, ConfigLimits.MaxModel);
        ConfigLimits.Whole("dense", Dense, 1, ConfigLimits.MaxHidden);
    }
}
