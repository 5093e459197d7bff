namespace Peakformer.Spectroscopy.Training;

/// <summary>One spectrum's augmentation draws: mixup partner (a row of the set) and weight, roll in bins, scale factor, offset and slope.</summary>
public readonly record struct SpectrumDraw(int Partner, double Lambda, int Roll, double Factor, double Offset, double Slope);
